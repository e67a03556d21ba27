"""The optional keys `case_settings` and `cases` of a cxroadmap/1 document: the organisation's alert rule, service
level and root-cause categories, and every follow-up case with what the customer said and what the team did. The
customer's contact details travel only with the answers (`--with-answers`). Owners, teams, initiatives and
touchpoints are named by their email, name, reference and key in the document. And the workbook's sheet of the
cases."""

from datetime import UTC

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cxroadmap.cases.kinds import CASE_STATUSES
from cxroadmap.cases.models import Case, CaseSettings
from cxroadmap.cases.rules import cause_name, causes_or_defaults
from cxroadmap.cases.services import SCALE_OF, root_causes, settings_of
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.emails import normal_email
from cxroadmap.exchangekit.parts import ExchangePart, SheetScope, WorkbookSheet
from cxroadmap.exchangekit.reading import moment_text, read_fields, read_items, report_checks, with_defaults
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l, current_language
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import Touchpoint
from cxroadmap.timeutil import aware
from cxroadmap.validation import Problems, check_line, check_text

SETTINGS = {"nps_at_most": ("integer", False), "csat_at_most": ("integer", False), "ces_at_most": ("integer", False),
            "gap_at_most": ("integer", False), "service_days": ("integer", True)}
CASE = {"status": ("text", True), "team": ("text", False), "owner_email": ("text", False),
        "initiative": ("text", False), "touchpoint": ("text", False), "source": ("text", True),
        "survey_title": ("text", False), "answered_at": ("moment", True), "measure": ("text", False),
        "score": ("integer", False), "expectation": ("integer", False), "perception": ("integer", False),
        "comment": ("text", False), "language": ("text", True), "outcome": ("text", False),
        "root_cause": ("text", False), "notes": ("text", False), "opened_at": ("moment", True),
        "due_at": ("moment", True), "followed_up_at": ("moment", False), "closed_at": ("moment", False),
        "reminded_at": ("moment", False)}
CONTACT = {"contact_name": ("text", False), "contact": ("text", False)}
MOMENTS = ("answered_at", "opened_at", "due_at", "followed_up_at", "closed_at", "reminded_at")
LINES = {"source": 20, "survey_title": 200, "measure": 10, "language": 5, "root_cause": 64}


# -- export -----------------------------------------------------------------------------------------------

def export_case_settings(organisation) -> dict | None:
    """The kept settings, root causes included; None while the organisation keeps the defaults."""
    kept = db.session.get(CaseSettings, organisation.id)
    if kept is None:
        return None
    return {"nps_at_most": kept.nps_at_most, "csat_at_most": kept.csat_at_most, "ces_at_most": kept.ces_at_most,
            "gap_at_most": kept.gap_at_most, "service_days": kept.service_days,
            "root_causes": [{"key": c["key"], "en": c["en"], "nl": c["nl"]} for c in kept.root_causes or []]}


def export_cases(organisation, with_answers: bool = False) -> list[dict]:
    """Every case, oldest first; the customer's contact details only with the answers."""
    touchpoints = dict(db.session.execute(select(Touchpoint.id, Touchpoint.key).where(
        Touchpoint.organisation_id == organisation.id)).all())
    teams = dict(db.session.execute(select(Team.id, Team.name).where(Team.organisation_id == organisation.id)).all())
    emails = dict(db.session.execute(select(CoalitionMember.id, CoalitionMember.email).where(
        CoalitionMember.organisation_id == organisation.id)).all())
    refs = dict(db.session.execute(select(Initiative.id, Initiative.ref).where(
        Initiative.organisation_id == organisation.id)).all())
    exported = []
    for case in db.session.scalars(Case.scoped_to(organisation).order_by(Case.opened_at, Case.id)):
        item = {"status": case.status, "team": teams.get(case.team_id), "owner_email": emails.get(case.owner_id),
                "initiative": refs.get(case.initiative_id), "touchpoint": touchpoints.get(case.touchpoint_id),
                "source": case.source, "survey_title": case.survey_title, "measure": case.measure,
                "score": case.score, "expectation": case.expectation, "perception": case.perception,
                "comment": case.comment, "language": case.language, "outcome": case.outcome,
                "root_cause": case.root_cause, "notes": case.notes,
                **{name: moment_text(getattr(case, name)) for name in MOMENTS}}
        if with_answers:
            item.update(contact_name=case.contact_name, contact=case.contact)
        exported.append(item)
    return exported


# -- import -----------------------------------------------------------------------------------------------

def check_cases(reader, document, names: dict) -> dict:
    """The case keys checked, every problem noted with its path. names: what the document holds that a case may
    name ({"teams", "emails", "refs", "touchpoints"}: sets)."""
    settings = _check_settings(reader, document)
    causes = {c["key"] for c in causes_or_defaults(settings["root_causes"] if settings else None)}
    cases = []
    for path, _item, values in read_items(reader, document, "cases", "", {**CASE, **CONTACT}):
        values = with_defaults(values)
        report_checks(reader, path, _case_problems(values, names, causes))
        cases.append(values)
    return {"settings": settings, "cases": cases}


def _check_settings(reader, document) -> dict | None:
    kept = document.get("case_settings")
    if kept is None or reader.obj(kept, "case_settings") is None:
        return None
    values = read_fields(reader, kept, "case_settings", SETTINGS)
    causes = _check_causes(reader, kept.get("root_causes"))
    if values is None:
        return None
    problems = Problems()
    for name, (low, high) in SCALE_OF.items():
        problems.require(values[name] is None or low <= values[name] <= high, name,
                         _("A whole number from %(low)s to %(high)s, or empty to open no cases by it.",
                           low=low, high=high))
    problems.require(1 <= values["service_days"] <= 30, "service_days",
                     _("A whole number of working days from 1 to 30."))
    report_checks(reader, "case_settings", problems)
    return {**values, "root_causes": causes}


def _check_causes(reader, causes) -> list[dict]:
    path = "case_settings.root_causes"
    if not isinstance(causes, list) or not causes:
        reader.note(path, _("Name at least one root cause."))
        return []
    checked, keys = [], set()
    for index, cause in enumerate(causes):
        fine = isinstance(cause, dict) and all(isinstance(cause.get(name), str) and cause[name].strip()
                                               and len(cause[name]) <= (64 if name == "key" else 100)
                                               for name in ("key", "en", "nl"))
        if not fine:
            reader.note(f"{path}[{index}]", _("A key (at most 64 characters), an English and a Dutch name (at most "
                                              "100 characters each)."))
            continue
        if cause["key"] in keys:
            reader.note(f"{path}[{index}].key", _("another root cause has this key"))
        keys.add(cause["key"])
        checked.append({"key": cause["key"], "en": cause["en"], "nl": cause["nl"]})
    return checked


def _case_problems(values: dict, names: dict, causes: set[str]) -> Problems:
    problems = Problems()
    problems.require(values["status"] in CASE_STATUSES, "status", CASE_STATUSES.describe())
    for name, known, message in (
            ("team", names["teams"], _("is not the name of a team in this document")),
            ("owner_email", names["emails"], _("is not the email of a coalition member in this document")),
            ("initiative", names["refs"], _("is not the reference of an initiative in this document")),
            ("touchpoint", names["touchpoints"], _("is not a touchpoint in this document's journey"))):
        value = values[name]
        if name == "owner_email" and value is not None:
            value = values[name] = normal_email(value)
        elif name == "team" and value is not None:
            value = value.casefold()
        elif name == "initiative" and value is not None:
            value = values[name] = value.upper()
        problems.require(value is None or value in known, name, message)
    for name in ("survey_title", "comment", "outcome", "notes", "root_cause"):
        values[name] = values[name] or ""
    problems.require(values["root_cause"] == "" or values["root_cause"] in causes, "root_cause",
                     _("is not a root cause of this organisation"))
    for name, length in LINES.items():
        check_line(problems, name, values[name] or "", length)
    for name in ("comment", "outcome", "notes"):
        check_text(problems, name, values[name], 20000)
    check_line(problems, "contact_name", values["contact_name"] or "", 200)
    check_line(problems, "contact", values["contact"] or "", 254)
    return problems


# -- writing ----------------------------------------------------------------------------------------------

def write_cases(organisation, plan: dict, insert) -> int:
    """Write the settings and the cases (with `insert`, the bulk writer); how many cases were written."""
    settings = plan.get("settings")
    if settings is not None:
        db.session.add(CaseSettings(organisation_id=organisation.id, **settings))
        db.session.flush()
    cases = plan.get("cases") or []
    if not cases:
        return 0
    owned = organisation.id
    ids = {
        "teams": {name.casefold(): i for i, name in db.session.execute(
            select(Team.id, Team.name).where(Team.organisation_id == owned))},
        "emails": {email: i for i, email in db.session.execute(
            select(CoalitionMember.id, CoalitionMember.email).where(CoalitionMember.organisation_id == owned))},
        "refs": {ref: i for i, ref in db.session.execute(
            select(Initiative.id, Initiative.ref).where(Initiative.organisation_id == owned))},
        "touchpoints": {key: i for i, key in db.session.execute(
            select(Touchpoint.id, Touchpoint.key).where(Touchpoint.organisation_id == owned))},
    }
    insert(Case, [_case_row(owned, case, ids) for case in cases])
    return len(cases)


def _case_row(organisation_id: int, case: dict, ids: dict) -> dict:
    row = {name: case[name] for name in CASE if name not in ("team", "owner_email", "initiative", "touchpoint")}
    return {**row, "organisation_id": organisation_id, "answer_id": None,
            "team_id": ids["teams"].get((case["team"] or "").casefold()),
            "owner_id": ids["emails"].get(case["owner_email"]), "initiative_id": ids["refs"].get(case["initiative"]),
            "touchpoint_id": ids["touchpoints"].get(case["touchpoint"]),
            "contact_name": case["contact_name"], "contact": case["contact"]}


# -- the workbook -----------------------------------------------------------------------------------------

def cases_sheet(organisation, _scope: SheetScope | None = None) -> Sheet:
    """Every follow-up case, the newest first: what the customer said, who follows it up, and the outcome."""
    causes, language = root_causes(settings_of(organisation)), current_language()
    query = (Case.scoped_to(organisation).options(joinedload(Case.team), joinedload(Case.owner),
                                                  joinedload(Case.initiative), joinedload(Case.touchpoint))
             .order_by(Case.opened_at.desc(), Case.id.desc()))

    def day(moment):
        return aware(moment).astimezone(UTC).date() if moment else None

    rows = [[day(c.opened_at), c.status_label, c.survey_title, c.touchpoint.name if c.touchpoint else None,
             c.team.name if c.team else None, c.owner.name if c.owner else None, day(c.due_at),
             day(c.followed_up_at), day(c.closed_at), c.score, c.gap, c.comment,
             cause_name(causes, c.root_cause, language) if c.root_cause else None, c.outcome, c.notes,
             c.initiative.ref if c.initiative else None] for c in db.session.scalars(query)]
    return Sheet(_l("Follow-up cases"), [
        Column(_l("Opened"), "date"), Column(_l("Status")), Column(_l("Survey"), width=30),
        Column(_l("Touchpoint"), width=30), Column(_l("Team")), Column(_l("Owner")), Column(_l("Due"), "date"),
        Column(_l("Followed up"), "date"), Column(_l("Closed"), "date"), Column(_l("Score"), "whole"),
        Column(_l("Gap"), "whole"), Column(_l("Comment"), width=50), Column(_l("Root cause")),
        Column(_l("Outcome"), width=50), Column(_l("Notes"), width=40), Column(_l("Initiative ref"))], rows)


def _export(organisation, with_answers: bool) -> dict:
    return {"case_settings": export_case_settings(organisation), "cases": export_cases(organisation, with_answers)}


def _write(organisation, plan: dict, writing) -> dict:
    """The cases, after everything they name (surveys too); how many, when there were any."""
    if not plan.get("cases") and plan.get("settings") is None:
        return {}
    return {"cases": write_cases(organisation, plan, writing.insert)}


# The document's last part; the workbook's last sheet.
PART = ExchangePart(order=50, export=_export, check=check_cases, write=_write, removes=(Case, CaseSettings),
                    sheets=(WorkbookSheet(110, cases_sheet),))
