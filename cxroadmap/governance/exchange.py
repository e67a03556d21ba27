"""The key `meetings` of a cxroadmap/1 document: the steering meetings with their attendees, agenda, minutes,
decisions and actions, naming members by email and initiatives by reference. And the workbook's sheets of the
decisions and the actions."""

from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.emails import normal_email
from cxroadmap.exchangekit.parts import ExchangePart, SheetScope, WorkbookSheet, Writing
from cxroadmap.exchangekit.reading import plain_items, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.governance.models import (
    ActionItem,
    Decision,
    SteeringMeeting,
    decision_initiative,
    meeting_agenda_initiative,
    meeting_attendee,
)
from cxroadmap.governance.services import actions_of, check_action, check_decision, check_meeting
from cxroadmap.governance.services import meetings as all_meetings
from cxroadmap.i18n import _, _l
from cxroadmap.timeutil import today

MEETING = {"held_on": ("date", True), "title": ("text", True), "attendee_emails": ("strings", False),
           "agenda_refs": ("strings", False), "other_items": ("text", False), "minutes": ("text", False)}
DECISION = {"text": ("text", True), "refs": ("strings", False)}
ACTION = {"title": ("text", True), "owner_email": ("text", False), "due_on": ("date", False),
          "status": ("text", True), "done_on": ("date", False), "ref": ("text", False)}


def _day(value):
    return value.isoformat() if value else None


# -- export -----------------------------------------------------------------------------------------------

def export_meetings(organisation, _with_answers: bool) -> dict:
    """The meetings, oldest first, each with its actions."""
    meetings = sorted(all_meetings(organisation), key=lambda m: (m.held_on, m.id))
    return {"meetings": [_meeting(m, actions_of(m)) for m in meetings]}


def _refs(initiatives) -> list[str]:
    return sorted((i.ref for i in initiatives), key=lambda ref: (len(ref), ref))


def _meeting(meeting, actions) -> dict:
    return {
        "held_on": _day(meeting.held_on), "title": meeting.title,
        "attendee_emails": [a.email for a in sorted(meeting.attendees, key=lambda a: a.id)],
        "agenda_refs": _refs(meeting.agenda), "other_items": meeting.other_items,
        "minutes": meeting.minutes,
        "decisions": [{"text": d.text, "refs": _refs(d.initiatives)} for d in meeting.decisions],
        "actions": [{"title": a.title, "owner_email": a.owner.email if a.owner else None, "due_on": _day(a.due_on),
                     "status": a.status, "done_on": _day(a.done_on), "ref": a.initiative.ref if a.initiative else None}
                    for a in actions],
    }


# -- import -----------------------------------------------------------------------------------------------

def check_meetings(reader, document, known: dict) -> list:
    """The meetings checked: their attendees, owners and initiatives must be in the document."""
    return [_check_meeting(reader, where, raw, values, known["refs"], known["emails"])
            for where, raw, values in plain_items(reader, document, "meetings", "", MEETING) or []]


def _check_meeting(reader, where: str, raw: dict, values: dict, refs: set[str], emails: set[str]) -> tuple:
    """One meeting with its decisions and actions; attendees, owners and initiatives must be in the document."""
    for email in values["attendee_emails"] or []:
        if normal_email(email) not in emails:
            reader.note(f"{where}.attendee_emails",
                        _("%(email)s is not a coalition member in this document", email=email))
    for ref in values["agenda_refs"] or []:
        if ref.upper() not in refs:
            reader.note(f"{where}.agenda_refs", _("%(ref)s is not an initiative in this document", ref=ref))
    decisions = [with_defaults(v) for _, _, v in plain_items(reader, raw, "decisions", where, DECISION) or []]
    actions = []
    for action_where, _index, action in plain_items(reader, raw, "actions", where, ACTION) or []:
        if action["status"] not in ("open", "done"):
            reader.note(f"{action_where}.status", _("Use open or done."))
        if action["owner_email"] and normal_email(action["owner_email"]) not in emails:
            reader.note(f"{action_where}.owner_email", _("is not a coalition member in this document"))
        if action["ref"] and action["ref"].upper() not in refs:
            reader.note(f"{action_where}.ref", _("is not an initiative in this document"))
        actions.append(with_defaults(action))
    return with_defaults(values), decisions, actions


def write_meetings(organisation, meetings: list, writing: Writing) -> dict:
    """The meetings with their attendees, agendas, decisions and actions, in bulk; how many meetings."""
    member_ids, initiative_ids, _insert, _link = (writing.member_ids, writing.initiative_ids, writing.insert,
                                                  writing.link)
    rows, attendees, agendas, decisions, actions = [], [], [], [], []
    for values, its_decisions, its_actions in meetings:
        check_meeting(values["held_on"], values["title"], values["other_items"], values["minutes"])
        rows.append({"organisation_id": organisation.id, "held_on": values["held_on"], "title": values["title"],
                     "other_items": values["other_items"], "minutes": values["minutes"]})
        attendees.append(sorted({member_ids[normal_email(e)] for e in values["attendee_emails"] or []}))
        agendas.append(sorted({initiative_ids[ref.upper()] for ref in values["agenda_refs"] or []}))
        for decision in its_decisions:
            check_decision(decision["text"])
        decisions.append(its_decisions)
        for action in its_actions:
            check_action(action["title"], action["due_on"])
        actions.append(its_actions)
    meeting_ids = _insert(SteeringMeeting, rows)
    _link(meeting_attendee, [{"meeting_id": m, "member_id": a}
                             for m, its in zip(meeting_ids, attendees, strict=True) for a in its])
    _link(meeting_agenda_initiative, [{"meeting_id": m, "initiative_id": i}
                                      for m, its in zip(meeting_ids, agendas, strict=True) for i in its])
    decision_rows = [(m, d) for m, its in zip(meeting_ids, decisions, strict=True) for d in its]
    decision_ids = _insert(Decision, [{"meeting_id": m, "text": d["text"]} for m, d in decision_rows])
    _link(decision_initiative, [{"decision_id": decision_id, "initiative_id": i}
                                for decision_id, (_m, d) in zip(decision_ids, decision_rows, strict=True)
                                for i in sorted({initiative_ids[ref.upper()] for ref in d["refs"] or []})])
    action_rows = []
    for meeting_id, its in zip(meeting_ids, actions, strict=True):
        for action in its:
            done = action["status"] == "done"
            owner = member_ids.get(normal_email(action["owner_email"])) if action["owner_email"] else None
            action_rows.append({"organisation_id": organisation.id, "meeting_id": meeting_id,
                                "title": action["title"], "owner_id": owner, "due_on": action["due_on"],
                                "status": "done" if done else "open",
                                "done_on": (action["done_on"] or today()) if done else None,
                                "initiative_id": initiative_ids[action["ref"].upper()] if action["ref"] else None})
    _insert(ActionItem, action_rows)
    return {"meetings": len(rows)}


# -- the workbook -----------------------------------------------------------------------------------------

def decisions_sheet(organisation, _scope: SheetScope | None = None) -> Sheet:
    """Every decision, the latest meeting's first."""
    query = (Decision.scoped_to(organisation).options(joinedload(Decision.meeting), selectinload(
        Decision.initiatives)).order_by(SteeringMeeting.held_on.desc(), Decision.id))
    rows = [[d.meeting.held_on, d.meeting.title, d.text, ", ".join(i.ref for i in d.initiatives)]
            for d in db.session.scalars(query)]
    return Sheet(_l("Decisions"), [Column(_l("Meeting date"), "date"), Column(_l("Meeting")),
                                   Column(_l("Decision"), width=60), Column(_l("Initiatives"))], rows)


def actions_sheet(organisation, scope: SheetScope | None = None) -> Sheet:
    """Every action (or, downloaded by itself, the ?state=open or done), the soonest due first."""
    status = scope.asked.get("state", "all") if scope else "all"
    query = (ActionItem.scoped_to(organisation)
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative), joinedload(ActionItem.meeting))
             .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    if status in ("open", "done"):
        query = query.where(ActionItem.status == status)
    rows = [[a.title, a.owner.name if a.owner else None, a.due_on, _("done") if a.status == "done" else _("open"),
             a.done_on, a.initiative.ref if a.initiative else None, a.meeting.held_on if a.meeting else None]
            for a in db.session.scalars(query)]
    return Sheet(_l("Actions"), [Column(_l("Action"), width=50), Column(_l("Owner")), Column(_l("Due"), "date"),
                                 Column(_l("State")), Column(_l("Done"), "date"), Column(_l("Initiative ref")),
                                 Column(_l("Raised at meeting of"), "date")], rows)


# After the initiatives (with their benefits and tracking), before the journey; the sheets after the milestones.
PART = ExchangePart(order=5, export=export_meetings, check=check_meetings, write=write_meetings,
                    removes=(ActionItem, SteeringMeeting),
                    sheets=(WorkbookSheet(50, decisions_sheet, "decisions"),
                            WorkbookSheet(60, actions_sheet, "actions")))
