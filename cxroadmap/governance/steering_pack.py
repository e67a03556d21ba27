"""The steering pack: one meeting's agenda, the status of each initiative under review, and what came before."""

from dataclasses import dataclass
from datetime import date, datetime

from cxroadmap.accounts.people import names_for
from cxroadmap.governance.meeting_parts import MeetingData, MeetingPart, updates_until
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.governance.services import actions_of, carried_and_closed, previous_meeting
from cxroadmap.i18n import Texts
from cxroadmap.initiatives.models import StatusUpdate
from cxroadmap.initiatives.report import InitiativeCells
from cxroadmap.initiatives.states import STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import Renderer

PACK_LABELS = Texts.beside(__file__)


@dataclass(frozen=True)
class PackData(MeetingData):
    updates: dict[int, list[StatusUpdate]]  # up to the meeting's day
    previous: SteeringMeeting | None
    previous_decisions: list[Decision]
    previous_open: list[ActionItem]


def gather_pack(organisation: Organisation, meeting: SteeringMeeting, on: date, generated_at: datetime) -> PackData:
    previous = previous_meeting(organisation, meeting)
    carried, closed = carried_and_closed(organisation, meeting)
    updates = updates_until(list(meeting.agenda), meeting.held_on)
    return PackData(
        organisation=organisation, generated_at=generated_at, on=on, meeting=meeting, agenda=list(meeting.agenda),
        updates=updates, carried=carried, closed=closed, decisions=list(meeting.decisions),
        actions=actions_of(meeting), previous=previous,
        names=names_for(organisation, (u.author for group in updates.values() for u in group)),
        previous_decisions=list(previous.decisions) if previous else [],
        previous_open=[a for a in carried if previous is not None and a.meeting_id == previous.id],
    )


class SteeringPack(MeetingPart, InitiativeCells, Renderer):
    has_cover = False
    own_label = staticmethod(PACK_LABELS.say)

    def sections(self):
        return [self.header, self.agenda, self.status, *self.contributed("steering_pack.after_status"), self.previous,
                self.this_meeting]

    def header(self) -> list:
        m = self.data.meeting
        story = [self.heading(f"{PACK_LABELS.say('title')}: {m.title}", "pack"),
                 self.para(f"{self.organisation.name} · {self.day(m.held_on)}", "small")]
        if m.attendees:
            attendees = ", ".join(a.name for a in m.attendees)
            story.append(self.para(f"{PACK_LABELS.say('attendees')}: {attendees}", "small"))
        return story

    def agenda(self) -> list:
        d, m = self.data, self.data.meeting
        story = [self.heading(PACK_LABELS.say("agenda"), "agenda"), self.subheading(PACK_LABELS.say("review"))]
        if d.agenda:
            story += self.table([label("col.ref"), label("col.initiative"), label("col.status"), label("col.health"),
                                 label("col.progress"), label("col.due")],
                                [[i.ref, i.title, STATUSES.label(i.status), self.health_cell(i.health),
                                  f"{i.progress}%", self.day(i.due_date)] for i in d.agenda],
                                [1.1, 4.6, 1.5, 1.3, 1.1, 1.7], wrap={1})
        else:
            story.append(self.para(PACK_LABELS.say("none")))
        story += self.parts("steering_pack.agenda")  # what the areas add: the KPIs these initiatives should move
        story += [self.subheading(PACK_LABELS.say("other"))]
        story += [self.para(f"• {line}") for line in m.other_item_lines] or [self.para(PACK_LABELS.say("none"))]
        story += [self.subheading(PACK_LABELS.say("carried")), *self.open_actions(d.carried)]
        if d.closed:
            story += [self.subheading(PACK_LABELS.say("closed")), *self.closed_actions(d.closed)]
        return story

    def status(self) -> list:
        d = self.data
        story = [self.heading(PACK_LABELS.say("status"), "status")]
        for initiative in d.agenda:
            story.append(self.subheading(f"{initiative.ref} {initiative.title}"))
            updates = d.updates.get(initiative.id, [])
            if not updates:
                story.append(self.para(PACK_LABELS.say("no_updates"), "small"))
            for u in updates:
                story.append(self.para(f"{self.day(u.posted_on)} · {self.person(u.author)} · {u.status_label} · "
                                       f"{u.health_label} · {u.progress}%", "small"))
                if u.note:
                    story.append(self.para(u.note))
        return story

    def this_meeting(self) -> list:
        """What the meeting itself decided and assigned: empty before it, the record after it."""
        d = self.data
        return [self.heading(PACK_LABELS.say("this_meeting"), "this-meeting"),
                self.subheading(PACK_LABELS.say("decisions")), *self.decision_lines(d.decisions),
                self.subheading(PACK_LABELS.say("actions")),
                *self.actions_with_status(d.actions)]

    def previous(self) -> list:
        d = self.data
        if d.previous is None:
            return [self.heading(PACK_LABELS.say("no_previous"), "previous"), self.para(PACK_LABELS.say("first"))]
        story = [self.heading(PACK_LABELS.say("previous", date=self.day(d.previous.held_on)), "previous"),
                 self.subheading(PACK_LABELS.say("decisions")),
                 *self.decision_lines(d.previous_decisions, numbered=False)]
        return story + [self.subheading(PACK_LABELS.say("open_actions")), *self.open_actions(d.previous_open)]
