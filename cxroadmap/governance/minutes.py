"""The minutes of a steering meeting, after it: who attended, each initiative on the agenda with its status and
what was decided and assigned about it, the notes, every decision and action, and the actions carried over."""

from dataclasses import dataclass
from datetime import date, datetime

from cxroadmap.accounts.people import names_for
from cxroadmap.governance.meeting_parts import MeetingData, MeetingPart, updates_until
from cxroadmap.governance.models import SteeringMeeting
from cxroadmap.governance.services import actions_of, carried_and_closed
from cxroadmap.i18n import Texts, format_day
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.renderer import Renderer

MINUTES_LABELS = Texts.beside(__file__)


@dataclass(frozen=True)
class MinutesData(MeetingData):
    status: dict[int, StatusUpdate | None]  # each agenda initiative's latest update on or before the meeting's day


def gather_minutes(organisation: Organisation, meeting: SteeringMeeting, on: date,
                   generated_at: datetime) -> MinutesData:
    agenda = list(meeting.agenda)
    latest = {key: (updates[0] if updates else None)
              for key, updates in updates_until(agenda, meeting.held_on, per_initiative=1).items()}
    carried, closed = carried_and_closed(organisation, meeting)
    return MinutesData(organisation=organisation, generated_at=generated_at, on=on, meeting=meeting, agenda=agenda,
                       status=latest, decisions=list(meeting.decisions), actions=actions_of(meeting),
                       carried=carried, closed=closed,
                       names=names_for(organisation, (u.author for u in latest.values() if u is not None)))


class Minutes(MeetingPart, Renderer):
    has_cover = False
    own_label = staticmethod(MINUTES_LABELS.say)

    def sections(self):
        return [self.header, self.agenda, self.notes, self.decisions, self.actions]

    def header(self) -> list:
        m = self.data.meeting
        attendees = ", ".join(a.name for a in m.attendees)
        return [self.heading(f"{MINUTES_LABELS.say('title')}: {m.title}", "minutes"),
                self.para(f"{self.organisation.name} · {format_day(m.held_on, 'full')}", "small"),
                self.para(f"{MINUTES_LABELS.say('attendees')}: {attendees}" if attendees
                          else MINUTES_LABELS.say("no_attendees"), "small")]

    def agenda(self) -> list:
        d = self.data
        story = [self.heading(MINUTES_LABELS.say("agenda"), "agenda")]
        if not d.agenda:
            story.append(self.para(MINUTES_LABELS.say("no_agenda")))
        for initiative in d.agenda:
            story += self.agenda_item(initiative)
        lines = d.meeting.other_item_lines
        if lines:
            story += [self.subheading(MINUTES_LABELS.say("other")), *(self.para(f"• {line}") for line in lines)]
        return story

    def agenda_item(self, initiative: Initiative) -> list:
        d = self.data
        story = [self.subheading(f"{initiative.ref} {initiative.title}")]
        update = d.status.get(initiative.id)
        if update is None:
            story.append(self.para(MINUTES_LABELS.say("no_status"), "small"))
        else:
            story.append(self.para(MINUTES_LABELS.say(
                "status", status=update.status_label, health=update.health_label, progress=update.progress,
                date=self.day(update.posted_on), author=self.person(update.author)), "small"))
            if update.note:
                story.append(self.para(update.note))
        decided = [x for x in d.decisions if initiative in x.initiatives]
        assigned = [a for a in d.actions if a.initiative_id == initiative.id]
        if not decided and not assigned:
            return story + [self.para(MINUTES_LABELS.say("nothing_decided"), "small")]
        if decided:
            story += [self.para(f"{MINUTES_LABELS.say('decided')}:", "small"),
                      *(self.para(f"• {x.text}") for x in decided)]
        if assigned:
            story += [self.para(f"{MINUTES_LABELS.say('assigned')}:", "small"),
                      *(self.para(f"• {a.title} ({self.owner(a)}, {self.due(a)}, {self.action_status(a)})")
                        for a in assigned)]
        return story

    def notes(self) -> list:
        minutes = self.data.meeting.minutes
        return [self.heading(MINUTES_LABELS.say("notes"), "notes"),
                self.para(minutes) if minutes else self.para(MINUTES_LABELS.say("no_notes"))]

    def decisions(self) -> list:
        return [self.heading(MINUTES_LABELS.say("decisions"), "decisions"), *self.decision_lines(self.data.decisions)]

    def actions(self) -> list:
        d = self.data
        return [self.heading(MINUTES_LABELS.say("actions"), "actions"), *self.actions_with_status(d.actions),
                self.subheading(MINUTES_LABELS.say("carried")), *self.open_actions(d.carried),
                self.subheading(MINUTES_LABELS.say("closed")), *self.closed_actions(d.closed)]
