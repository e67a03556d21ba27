"""The steering pack: one meeting's agenda, the status of each initiative under review, and what came before."""

from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import Paragraph

from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.governance.services import carried_over, previous_meeting
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.initiatives.states import STATUSES
from cxroadmap.initiatives.tracking import recent_updates
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.base import Renderer, safe

PACK_LABELS = {
    "title": "Steering pack",
    "agenda": "Agenda",
    "review": "Initiatives under review",
    "other": "Other items",
    "carried": "Actions carried over",
    "none": "None.",
    "status": "Status of the initiatives under review",
    "no_updates": "No status updates yet.",
    "previous": "At the last meeting ({date})",
    "decisions": "Decisions",
    "open_actions": "Actions still open",
    "first": "This is the first steering meeting on record.",
    "attendees": "Attendees",
}


@dataclass(frozen=True)
class PackData:
    organisation: Organisation
    generated_at: datetime
    on: date
    meeting: SteeringMeeting
    agenda: list[Initiative]
    updates: dict[int, list[StatusUpdate]]
    carried: list[ActionItem]
    previous: SteeringMeeting | None
    previous_decisions: list[Decision]
    previous_open: list[ActionItem]


def gather_pack(organisation: Organisation, meeting: SteeringMeeting, on: date, generated_at: datetime) -> PackData:
    previous = previous_meeting(organisation, meeting)
    carried = carried_over(organisation, meeting)
    return PackData(
        organisation=organisation, generated_at=generated_at, on=on, meeting=meeting, agenda=list(meeting.agenda),
        updates=recent_updates(list(meeting.agenda)), carried=carried, previous=previous,
        previous_decisions=list(previous.decisions) if previous else [],
        previous_open=[a for a in carried if previous is not None and a.meeting_id == previous.id],
    )


class SteeringPack(Renderer):
    has_cover = False

    def document_title(self) -> str:
        return f"{PACK_LABELS['title']} {self.data.meeting.held_on}"

    def document_subject(self) -> str:
        return PACK_LABELS["title"]

    def sections(self):
        return [self.header, self.agenda, self.status, self.previous]

    def header(self) -> list:
        m = self.data.meeting
        story = [self.heading(f"{PACK_LABELS['title']}: {m.title}", "pack"),
                 self.para(f"{self.organisation.name} · {self.day(m.held_on)}", "small")]
        if m.attendees:
            story.append(self.para(f"{PACK_LABELS['attendees']}: " + ", ".join(a.name for a in m.attendees), "small"))
        return story

    def _actions_table(self, actions: list[ActionItem]) -> list:
        if not actions:
            return [self.para(PACK_LABELS["none"])]
        rows = [[a.title, a.owner.name if a.owner else "—",
                 self.day(a.due_on) + (" (overdue)" if a.is_overdue(self.data.on) else ""),
                 a.initiative.ref if a.initiative else "—"] for a in actions]
        return self.table(["Action", "Owner", "Due", "Initiative"], rows, [5, 2.2, 2, 1.3], wrap={0, 1, 2})

    def agenda(self) -> list:
        d, m = self.data, self.data.meeting
        story = [self.heading(PACK_LABELS["agenda"], "agenda"), Paragraph(safe(PACK_LABELS["review"]),
                                                                         self.styles["h2"])]
        if d.agenda:
            story += self.table(["Ref", "Initiative", "Status", "Health", "Progress", "Due"],
                                [[i.ref, i.title, STATUSES.label(i.status), self.health_cell(i.health),
                                  f"{i.progress}%", self.day(i.due_date)] for i in d.agenda],
                                [1.1, 4.6, 1.5, 1.3, 1.1, 1.7], wrap={1})
        else:
            story.append(self.para(PACK_LABELS["none"]))
        story += [Paragraph(safe(PACK_LABELS["other"]), self.styles["h2"])]
        story += [self.para(f"• {line}") for line in m.other_item_lines] or [self.para(PACK_LABELS["none"])]
        story += [Paragraph(safe(PACK_LABELS["carried"]), self.styles["h2"]), *self._actions_table(d.carried)]
        return story

    def status(self) -> list:
        d = self.data
        story = [self.heading(PACK_LABELS["status"], "status")]
        for initiative in d.agenda:
            story.append(Paragraph(f"<b>{safe(initiative.ref)}</b> {safe(initiative.title)}", self.styles["h2"]))
            updates = d.updates.get(initiative.id, [])
            if not updates:
                story.append(self.para(PACK_LABELS["no_updates"], "small"))
            for u in updates:
                story.append(self.para(f"{self.day(u.posted_on)} · {u.author} · {u.status_label} · {u.health_label} · "
                                       f"{u.progress}%", "small"))
                if u.note:
                    story.append(self.para(u.note))
        return story

    def previous(self) -> list:
        d = self.data
        if d.previous is None:
            return [self.heading(PACK_LABELS["previous"].format(date="—"), "previous"), self.para(PACK_LABELS["first"])]
        story = [self.heading(PACK_LABELS["previous"].format(date=self.day(d.previous.held_on)), "previous"),
                 Paragraph(safe(PACK_LABELS["decisions"]), self.styles["h2"])]
        if d.previous_decisions:
            for decision in d.previous_decisions:
                about = ", ".join(i.ref for i in decision.initiatives)
                story.append(self.para(f"• {decision.text}" + (f" ({about})" if about else "")))
        else:
            story.append(self.para(PACK_LABELS["none"]))
        story += [Paragraph(safe(PACK_LABELS["open_actions"]), self.styles["h2"]),
                  *self._actions_table(d.previous_open)]
        return story
