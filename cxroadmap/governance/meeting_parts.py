"""What the steering pack and the minutes share: a meeting's decisions and actions, the actions carried over to
it and closed since, status updates up to its day, and people named by name."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.i18n import Texts
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.document import SectionHeading
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import safe

PART_LABELS = Texts.beside(__file__)


@dataclass(frozen=True)
class MeetingData:
    """What the steering pack and the minutes both tell of a meeting; each document's data adds its own."""

    organisation: Organisation
    generated_at: datetime
    on: date
    meeting: SteeringMeeting
    agenda: list[Initiative]
    decisions: list[Decision]  # the meeting's own
    actions: list[ActionItem]  # the meeting's own
    carried: list[ActionItem]  # carried over to the meeting and still open
    closed: list[ActionItem]  # carried over to the meeting and done since
    names: dict[str, str]  # who wrote an update, as recorded -> as a reader knows them


def updates_until(initiatives: list[Initiative], day: date, per_initiative: int = 3) -> dict[int, list[StatusUpdate]]:
    """The latest few status updates of each initiative posted on or before day, newest first (one query): what
    the committee had in front of it, not what was written after the meeting."""
    grouped: dict[int, list[StatusUpdate]] = {i.id: [] for i in initiatives}
    if initiatives:
        query = (select(StatusUpdate).where(StatusUpdate.initiative_id.in_(list(grouped)),
                                            StatusUpdate.posted_on <= day)
                 .order_by(StatusUpdate.initiative_id, StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(),
                           StatusUpdate.id.desc()))
        for update in db.session.scalars(query):
            if len(grouped[update.initiative_id]) < per_initiative:
                grouped[update.initiative_id].append(update)
    return grouped


class MeetingPart:
    """Mixed into a report renderer of one meeting: self.data is the document's `MeetingData`, and own_label gives
    the document's own texts ("title" …)."""

    data: MeetingData
    own_label: Callable[..., str]

    def document_title(self) -> str:
        return f"{self.own_label('title')} {self.day(self.data.meeting.held_on)}"

    def document_subject(self) -> str:
        return self.own_label("title")

    def heading_style(self, name: str) -> ParagraphStyle:
        """The heading style, kept on the page of what follows it; a section also keeps its distance from the
        table before it."""
        style = self.styles[name]
        return ParagraphStyle(f"{style.name}-kept", parent=style, keepWithNext=1,
                              spaceBefore=max(style.spaceBefore, 14 if name == "h1" else 10))

    def heading(self, text: str, key: str, level: int = 0) -> SectionHeading:
        return SectionHeading(text, self.heading_style("h1" if level == 0 else "h2"), key, level)

    def subheading(self, text: str) -> Paragraph:
        """A heading inside a section."""
        return Paragraph(safe(text), self.heading_style("h2"))

    def person(self, recorded: str) -> str:
        return self.data.names.get(recorded, recorded) if recorded else "—"

    def owner(self, action: ActionItem) -> str:
        return action.owner.name if action.owner else PART_LABELS.say("no_owner")

    def due(self, action: ActionItem) -> str:
        overdue = action.is_overdue(self.data.on)
        return self.day(action.due_on) + (f" ({label('overdue')})" if overdue else "")

    def action_status(self, action: ActionItem) -> str:
        return PART_LABELS.say("done_on", date=self.day(action.done_on)) if action.status == "done" \
            else PART_LABELS.say("open")

    def decision_lines(self, decisions: list[Decision], numbered: bool = True) -> list:
        if not decisions:
            return [self.para(PART_LABELS.say("none"))]
        lines = []
        for number, decision in enumerate(decisions, 1):
            about = ", ".join(i.ref for i in decision.initiatives)
            lead = f"{number}." if numbered else "•"
            lines.append(self.para(f"{lead} {decision.text}" + (f" ({about})" if about else "")))
        return lines

    def actions_with_status(self, actions: list[ActionItem]) -> list:
        """Actions with owner, due date, status and initiative."""
        if not actions:
            return [self.para(PART_LABELS.say("none"))]
        rows = [[a.title, self.owner(a), self.due(a), self.action_status(a), a.initiative.ref if a.initiative else "—"]
                for a in actions]
        return self.table([PART_LABELS.say("action"), label("col.owner"), label("col.due"), label("col.status"),
                           label("col.initiative")], rows, [4.3, 2.1, 2, 2.3, 1.2], wrap={0, 1, 2, 3})

    def open_actions(self, actions: list[ActionItem]) -> list:
        """Actions still open: owner, due date (overdue marked) and initiative."""
        if not actions:
            return [self.para(PART_LABELS.say("none"))]
        rows = [[a.title, self.owner(a), self.due(a), a.initiative.ref if a.initiative else "—"] for a in actions]
        return self.table([PART_LABELS.say("action"), label("col.owner"), label("col.due"), label("col.initiative")],
                          rows, [5, 2.2, 2, 1.3], wrap={0, 1, 2})

    def closed_actions(self, actions: list[ActionItem]) -> list:
        """Actions done: owner, when they were due and when they were done."""
        if not actions:
            return [self.para(PART_LABELS.say("none"))]
        rows = [[a.title, self.owner(a), self.day(a.due_on), self.day(a.done_on),
                 a.initiative.ref if a.initiative else "—"] for a in actions]
        return self.table([PART_LABELS.say("action"), label("col.owner"), label("col.due"),
                           PART_LABELS.say("closed_on"), label("col.initiative")], rows, [4.6, 2.2, 2, 1.8, 1.2],
                          wrap={0, 1})
