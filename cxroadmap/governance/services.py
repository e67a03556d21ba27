"""Steering meetings: planning them, recording decisions and actions, and what carries over to the next."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting, meeting_agenda_initiative
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy


def _of(organisation: Organisation, model, ids: list[int], what: str) -> list:
    """The rows of model with these ids, all of this organisation; a stranger's id is refused."""
    ids = sorted(set(ids or []))
    if not ids:
        return []
    found = list(db.session.scalars(model.scoped_to(organisation).where(model.id.in_(ids))))
    if len(found) != len(ids):
        raise DomainError({what: _("Choose from this organisation's own.")})
    return found


def check_meeting(held_on, title, other_items, minutes) -> None:
    problems = Problems()
    check_date(problems, "held_on", held_on, required=True)
    check_line(problems, "title", title, 200, required=True)
    check_text(problems, "other_items", other_items, 5000)
    check_text(problems, "minutes", minutes, 50000)
    problems.raise_if_any()


def check_decision(text: str) -> None:
    problems = Problems()
    check_text(problems, "text", text, 5000, required=True)
    problems.raise_if_any()


def check_action(title: str, due_on: date | None) -> None:
    problems = Problems()
    check_line(problems, "title", title, 300, required=True)
    check_date(problems, "due_on", due_on)
    problems.raise_if_any()


def plan_meeting(organisation: Organisation, held_on: date, title: str = "Steering committee",
                 attendee_ids: list[int] | None = None, initiative_ids: list[int] | None = None,
                 other_items: str = "", minutes: str = "") -> SteeringMeeting:
    title, other_items, minutes = tidy(title), tidy(other_items), tidy(minutes)
    check_meeting(held_on, title, other_items, minutes)
    meeting = SteeringMeeting(organisation_id=organisation.id, held_on=held_on, title=title, other_items=other_items,
                              minutes=minutes)
    meeting.attendees = _of(organisation, CoalitionMember, attendee_ids, "attendees")
    meeting.agenda = _of(organisation, Initiative, initiative_ids, "agenda")
    db.session.add(meeting)
    db.session.flush()
    return meeting


def update_meeting(organisation: Organisation, meeting: SteeringMeeting, held_on: date, title: str,
                   attendee_ids: list[int], initiative_ids: list[int], other_items: str, minutes: str,
                   expected_version: int | None = None) -> SteeringMeeting:
    meeting.check_version(expected_version, _("this meeting"))
    title, other_items, minutes = tidy(title), tidy(other_items), tidy(minutes)
    check_meeting(held_on, title, other_items, minutes)
    meeting.held_on, meeting.title, meeting.other_items, meeting.minutes = held_on, title, other_items, minutes
    meeting.attendees = _of(organisation, CoalitionMember, attendee_ids, "attendees")
    meeting.agenda = _of(organisation, Initiative, initiative_ids, "agenda")
    db.session.flush()
    return meeting


def record_decision(organisation: Organisation, meeting: SteeringMeeting, text: str,
                    initiative_ids: list[int] | None = None) -> Decision:
    text = tidy(text)
    check_decision(text)
    decision = Decision(meeting=meeting, text=text, initiatives=_of(organisation, Initiative, initiative_ids,
                                                                    "initiatives"))
    db.session.add(decision)
    db.session.flush()
    return decision


def assign_action(organisation: Organisation, meeting: SteeringMeeting | None, title: str, owner_id: int | None,
                  due_on: date | None, initiative_id: int | None = None) -> ActionItem:
    """An action someone owes, raised at meeting; it stays on every later agenda until it is done."""
    title = tidy(title)
    check_action(title, due_on)
    owner = _of(organisation, CoalitionMember, [owner_id] if owner_id else [], "owner")
    initiative = _of(organisation, Initiative, [initiative_id] if initiative_id else [], "initiative")
    action = ActionItem(organisation_id=organisation.id, meeting=meeting, title=title, due_on=due_on,
                        owner=owner[0] if owner else None, initiative=initiative[0] if initiative else None)
    db.session.add(action)
    db.session.flush()
    return action


def set_action_done(action: ActionItem, done: bool, on: date | None = None) -> ActionItem:
    action.status, action.done_on = ("done", on or today()) if done else ("open", None)
    db.session.flush()
    return action


def meetings(organisation: Organisation) -> list[SteeringMeeting]:
    query = SteeringMeeting.scoped_to(organisation).order_by(SteeringMeeting.held_on.desc(), SteeringMeeting.id.desc())
    return list(db.session.scalars(query))


@dataclass(frozen=True)
class MeetingLine:
    """A meeting as the list shows it: how many initiatives it reviewed and how many decisions it took."""

    meeting: SteeringMeeting
    reviewed: int
    decided: int


def meetings_page(organisation: Organisation, page: int, per_page: int = 20):
    """One page of the meetings, latest first (a Pagination of MeetingLine): three queries whatever the size."""
    reviewed = (select(func.count()).select_from(meeting_agenda_initiative)
                .where(meeting_agenda_initiative.c.meeting_id == SteeringMeeting.id).scalar_subquery())
    decided = select(func.count(Decision.id)).where(Decision.meeting_id == SteeringMeeting.id).scalar_subquery()
    query = (SteeringMeeting.scoped_to(organisation)
             .order_by(SteeringMeeting.held_on.desc(), SteeringMeeting.id.desc()))
    paged = db.paginate(query, page=page, per_page=per_page, error_out=False)
    ids = [m.id for m in paged.items]
    counts = {row.id: row for row in db.session.execute(
        select(SteeringMeeting.id, reviewed.label("reviewed"), decided.label("decided"))
        .where(SteeringMeeting.id.in_(ids)))} if ids else {}
    paged.items = [MeetingLine(m, counts[m.id].reviewed, counts[m.id].decided) for m in paged.items]
    return paged


def meeting_in(organisation: Organisation, meeting_id: int) -> SteeringMeeting:
    query = (SteeringMeeting.scoped_to(organisation).where(SteeringMeeting.id == meeting_id)
             .options(selectinload(SteeringMeeting.attendees), selectinload(SteeringMeeting.agenda),
                      selectinload(SteeringMeeting.decisions).selectinload(Decision.initiatives)))
    meeting = db.session.scalar(query)
    if meeting is None:
        raise NotInOrganisation(_("No such meeting."))
    return meeting


def action_in(organisation: Organisation, action_id: int) -> ActionItem:
    return get_in_organisation(organisation, ActionItem, _("No such action."), id=action_id)


def previous_meeting(organisation: Organisation, meeting: SteeringMeeting) -> SteeringMeeting | None:
    query = (SteeringMeeting.scoped_to(organisation)
             .where(or_(SteeringMeeting.held_on < meeting.held_on,
                        (SteeringMeeting.held_on == meeting.held_on) & (SteeringMeeting.id < meeting.id)))
             .order_by(SteeringMeeting.held_on.desc(), SteeringMeeting.id.desc()).limit(1)
             .options(selectinload(SteeringMeeting.decisions).selectinload(Decision.initiatives)))
    return db.session.scalar(query)


def carried_and_closed(organisation: Organisation, meeting: SteeringMeeting) -> tuple[list[ActionItem],
                                                                                         list[ActionItem]]:
    """The actions carried over to this meeting in two lists: those still open, and those done since (at the
    meeting or after it). A done action is never listed as carried over."""
    carried = carried_over(organisation, meeting)
    return [a for a in carried if a.status == "open"], [a for a in carried if a.status == "done"]


def carried_over(organisation: Organisation, meeting: SteeringMeeting) -> list[ActionItem]:
    """Actions raised before this meeting that were still open when it was held: on its agenda by themselves."""
    query = (ActionItem.scoped_to(organisation)
             .join(SteeringMeeting, ActionItem.meeting_id == SteeringMeeting.id)
             .where(SteeringMeeting.held_on < meeting.held_on,
                    or_(ActionItem.status == "open", ActionItem.done_on >= meeting.held_on))
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative))
             .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    return list(db.session.scalars(query))


def open_actions(organisation: Organisation) -> list[ActionItem]:
    query = (ActionItem.scoped_to(organisation).where(ActionItem.status == "open")
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative))
             .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    return list(db.session.scalars(query))


def actions_of(meeting: SteeringMeeting) -> list[ActionItem]:
    query = (select(ActionItem).where(ActionItem.meeting_id == meeting.id)
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative)).order_by(ActionItem.id))
    return list(db.session.scalars(query))


