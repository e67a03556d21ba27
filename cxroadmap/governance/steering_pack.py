"""The steering pack: one meeting's agenda, the status of each initiative under review, and what came before."""

from dataclasses import dataclass
from datetime import date, datetime

from cxroadmap.accounts.people import names_for
from cxroadmap.governance.meeting_parts import MeetingPart, updates_until
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.governance.services import actions_of, carried_and_closed, previous_meeting
from cxroadmap.i18n import _l
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.initiatives.report import InitiativeCells
from cxroadmap.initiatives.states import STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.labels import label, text_from
from cxroadmap.reportkit.renderer import Renderer

PACK_LABELS = {
    "title": _l("Steering pack"),
    "agenda": _l("Agenda"),
    "review": _l("Initiatives under review"),
    "other": _l("Other items"),
    "carried": _l("Actions carried over"),
    "closed": _l("Carried over and done since"),
    "this_meeting": _l("At this meeting"),
    "actions": _l("Actions"),
    "none": _l("None."),
    "status": _l("Status of the initiatives under review"),
    "no_updates": _l("No status updates yet."),
    "previous": _l("At the last meeting ({date})"),
    "no_previous": _l("At the last meeting"),
    "decisions": _l("Decisions"),
    "open_actions": _l("Actions still open"),
    "first": _l("This is the first steering meeting on record."),
    "attendees": _l("Attendees"),
}


def pack_label(key: str) -> str:
    """The steering pack's fixed text for key, in the language being written."""
    return text_from(PACK_LABELS, key)


@dataclass(frozen=True)
class PackData:
    organisation: Organisation
    generated_at: datetime
    on: date
    meeting: SteeringMeeting
    agenda: list[Initiative]
    updates: dict[int, list[StatusUpdate]]  # up to the meeting's day
    carried: list[ActionItem]  # carried over and still open
    closed: list[ActionItem]  # carried over and done since
    decisions: list[Decision]  # the meeting's own
    actions: list[ActionItem]  # the meeting's own
    names: dict[str, str]  # who wrote an update, as recorded -> as a reader knows them
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
    own_label = staticmethod(pack_label)

    def sections(self):
        return [self.header, self.agenda, self.status, *self.contributed("steering_pack.after_status"), self.previous,
                self.this_meeting]

    def header(self) -> list:
        m = self.data.meeting
        story = [self.heading(f"{pack_label('title')}: {m.title}", "pack"),
                 self.para(f"{self.organisation.name} · {self.day(m.held_on)}", "small")]
        if m.attendees:
            story.append(self.para(f"{pack_label('attendees')}: " + ", ".join(a.name for a in m.attendees), "small"))
        return story

    def agenda(self) -> list:
        d, m = self.data, self.data.meeting
        story = [self.heading(pack_label("agenda"), "agenda"), self.subheading(pack_label("review"))]
        if d.agenda:
            story += self.table([label("col.ref"), label("col.initiative"), label("col.status"), label("col.health"),
                                 label("col.progress"), label("col.due")],
                                [[i.ref, i.title, STATUSES.label(i.status), self.health_cell(i.health),
                                  f"{i.progress}%", self.day(i.due_date)] for i in d.agenda],
                                [1.1, 4.6, 1.5, 1.3, 1.1, 1.7], wrap={1})
        else:
            story.append(self.para(pack_label("none")))
        story += self.parts("steering_pack.agenda")  # what the areas add: the KPIs these initiatives should move
        story += [self.subheading(pack_label("other"))]
        story += [self.para(f"• {line}") for line in m.other_item_lines] or [self.para(pack_label("none"))]
        story += [self.subheading(pack_label("carried")), *self.open_actions(d.carried)]
        if d.closed:
            story += [self.subheading(pack_label("closed")), *self.closed_actions(d.closed)]
        return story

    def status(self) -> list:
        d = self.data
        story = [self.heading(pack_label("status"), "status")]
        for initiative in d.agenda:
            story.append(self.subheading(f"{initiative.ref} {initiative.title}"))
            updates = d.updates.get(initiative.id, [])
            if not updates:
                story.append(self.para(pack_label("no_updates"), "small"))
            for u in updates:
                story.append(self.para(f"{self.day(u.posted_on)} · {self.person(u.author)} · {u.status_label} · "
                                       f"{u.health_label} · {u.progress}%", "small"))
                if u.note:
                    story.append(self.para(u.note))
        return story

    def this_meeting(self) -> list:
        """What the meeting itself decided and assigned: empty before it, the record after it."""
        d = self.data
        return [self.heading(pack_label("this_meeting"), "this-meeting"), self.subheading(pack_label("decisions")),
                *self.decision_lines(d.decisions), self.subheading(pack_label("actions")),
                *self.actions_with_status(d.actions)]

    def previous(self) -> list:
        d = self.data
        if d.previous is None:
            return [self.heading(pack_label("no_previous"), "previous"), self.para(pack_label("first"))]
        story = [self.heading(pack_label("previous").format(date=self.day(d.previous.held_on)), "previous"),
                 self.subheading(pack_label("decisions")), *self.decision_lines(d.previous_decisions, numbered=False)]
        return story + [self.subheading(pack_label("open_actions")), *self.open_actions(d.previous_open)]
