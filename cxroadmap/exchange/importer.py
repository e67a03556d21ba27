"""Reading a cxroadmap/1 JSON document: every problem found before anything is written, then one write."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cxroadmap.benefits.services import add_benefit, check_benefit
from cxroadmap.coalition.services import (
    add_member,
    check_member,
    check_role_statement,
    check_team,
    create_team,
    log_role,
    normal_email,
)
from cxroadmap.decimals import parse_strict_decimal
from cxroadmap.errors import tidy
from cxroadmap.exchange.export import FORMAT
from cxroadmap.extensions import db
from cxroadmap.initiatives.services import check_initiative, create_initiative
from cxroadmap.maturity.services import assess_stage, check_stage_assessment
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import (
    check_organisation,
    create_organisation,
    delete_organisation,
    organisation_by_slug,
    slug_taken,
)
from cxroadmap.readiness.services import assess_readiness, check_readiness_assessment

_MISSING = object()


class ImportRefused(Exception):
    """The document cannot be imported; `problems` holds one 'json.path: reason' line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


@dataclass
class _Reader:
    """Reads typed values out of JSON objects, noting each problem against its path."""

    problems: list[str] = field(default_factory=list)

    def note(self, path: str, message: str) -> None:
        self.problems.append(f"{path}: {message}")

    def obj(self, value, path: str) -> dict | None:
        if not isinstance(value, dict):
            self.note(path, "not an object")
            return None
        return value

    def items(self, parent: dict, key: str, path: str) -> list:
        value = parent.get(key, [])
        if not isinstance(value, list):
            self.note(f"{path}{key}", "not a list")
            return []
        return value

    def get(self, parent: dict, key: str, path: str, kind: str, required: bool = True):
        """parent[key] read as kind (text, decimal, date, integer, boolean, strings).

        An optional key may be absent or null (None); _MISSING marks a value that could not be read.
        """
        value = parent.get(key, _MISSING)
        where = f"{path}.{key}" if path else key
        if value is _MISSING or value is None:
            if required:
                self.note(where, "missing" if value is _MISSING else "must not be null")
                return _MISSING
            return None
        try:
            return _READERS[kind](value)
        except ValueError as exc:
            self.note(where, str(exc))
            return _MISSING


def _text(value):
    if not isinstance(value, str):
        raise ValueError("not a string")
    return value


def _decimal(value):
    return parse_strict_decimal(value)


def _date(value):
    if not isinstance(value, str):
        raise ValueError("not an ISO date")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValueError("not an ISO date (YYYY-MM-DD)") from None


def _integer(value):
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError("not a whole number")
    return value


def _boolean(value):
    if not isinstance(value, bool):
        raise ValueError("not true or false")
    return value


def _strings(value):
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise ValueError("not a list of strings")
    return value


_READERS = {"text": _text, "decimal": _decimal, "date": _date, "integer": _integer,
            "boolean": _boolean, "strings": _strings}


def _read(reader: _Reader, item: dict, path: str, spec: dict[str, tuple[str, bool]]) -> dict | None:
    """The item's fields per spec {name: (kind, required)}; None when any could not be read."""
    values = {name: reader.get(item, name, path, kind, required) for name, (kind, required) in spec.items()}
    return None if any(value is _MISSING for value in values.values()) else values


def _check(reader: _Reader, path: str, problems: dict, rename: dict | None = None) -> None:
    for name, message in problems.items():
        name = (rename or {}).get(name, name)
        reader.note(f"{path}.{name}" if name else path, message)


@dataclass
class Plan:
    """A checked document, ready to be written."""

    organisation: dict
    stages: list[dict]
    readiness: list[dict]
    members: list[dict]
    teams: list[tuple[dict, list[dict]]]
    initiatives: list[tuple[dict, list[dict]]]
    governance: dict = field(default_factory=dict)  # the optional keys: history, milestones, meetings …


ORGANISATION = {"name": ("text", True), "slug": ("text", True), "brand_promise": ("text", False),
                "currency": ("text", True), "discount_rate": ("decimal", True), "target_stage": ("text", False),
                "target_date": ("date", False), "locale": ("text", True)}
STAGE = {"stage": ("text", True), "assessed_on": ("date", True), "assessed_by": ("text", False),
         "rationale": ("text", False)}
READINESS = {"question": ("text", True), "score": ("integer", True), "assessed_on": ("date", True),
             "evidence": ("text", False)}
MEMBER = {"name": ("text", True), "email": ("text", True), "function": ("text", False),
          "title": ("text", False), "coalition_role": ("text", True), "active": ("boolean", True)}
TEAM = {"name": ("text", True), "function": ("text", False)}
ROLE = {"statement": ("text", True), "touchpoints": ("strings", False), "logged_on": ("date", True),
        "logged_by": ("text", False)}
INITIATIVE = {"ref": ("text", True), "title": ("text", True), "description": ("text", False),
              "readiness_question": ("text", True), "owner_email": ("text", False), "status": ("text", True),
              "health": ("text", True), "progress": ("integer", True), "start_date": ("date", False),
              "due_date": ("date", False), "target_stage": ("text", False), "one_off_cost": ("decimal", True),
              "annual_running_cost": ("decimal", True), "archived": ("boolean", False)}
BENEFIT = {"kind": ("text", True), "description": ("text", False), "volume": ("decimal", False),
           "rate": ("decimal", False), "unit_value": ("decimal", False), "annual_amount": ("decimal", False),
           "confidence": ("decimal", True), "starts_on": ("date", False), "ramp_months": ("integer", True)}

_TEXT_DEFAULTS = ("brand_promise", "assessed_by", "rationale", "evidence", "function", "title", "logged_by",
                  "description")


def _with_defaults(values: dict) -> dict:
    for name in _TEXT_DEFAULTS:
        if name in values and values[name] is None:
            values[name] = ""
    return {name: tidy(value) if isinstance(value, str) and name != "slug" else value
            for name, value in values.items()}


def check_document(document, replace: bool = False) -> Plan:
    """A plan for writing the document, or ImportRefused listing every problem with its JSON path."""
    reader = _Reader()
    if reader.obj(document, "(document)") is None:
        raise ImportRefused(reader.problems)
    if document.get("format") != FORMAT:
        reader.note("format", f"must be \"{FORMAT}\"")
        raise ImportRefused(reader.problems)

    organisation = None
    org_item = reader.obj(document.get("organisation"), "organisation")
    if org_item is not None:
        organisation = _read(reader, org_item, "organisation", ORGANISATION)
        if organisation is not None:
            organisation = _with_defaults(organisation)
            organisation["currency"] = organisation["currency"].upper()
            _check(reader, "organisation", check_organisation(organisation))
            if slug_taken(organisation["slug"]) and not replace:
                reader.note("organisation.slug", f"an organisation '{organisation['slug']}' exists already "
                            "(import with --replace to overwrite it)")

    stages = _each(reader, document, "stage_assessments", STAGE, check_stage_assessment)
    readiness = _each(reader, document, "readiness_assessments", READINESS, check_readiness_assessment)
    members = _each(reader, document, "coalition", MEMBER, check_member,
                    prepare=lambda v: {**v, "email": normal_email(v["email"])})
    _unique(reader, "coalition", [m and m["email"] for m in members], "email",
            "another coalition member has this email")
    emails = {m["email"] for m in members if m}

    teams = []
    for index, item in enumerate(reader.items(document, "teams", "")):
        path = f"teams[{index}]"
        team = _one(reader, item, path, TEAM, check_team)
        roles = []
        if isinstance(item, dict):
            roles = [_one(reader, role, f"{path}.role_statements[{n}]", ROLE, check_role_statement,
                          prepare=lambda v: {**v, "touchpoints": [tidy(t) for t in v["touchpoints"] or []]})
                     for n, role in enumerate(reader.items(item, "role_statements", f"{path}."))]
        teams.append((team, roles))
    _unique(reader, "teams", [t and t["name"].casefold() for t, _ in teams], "name",
            "another team has this name")

    initiatives = []
    for index, item in enumerate(reader.items(document, "initiatives", "")):
        path = f"initiatives[{index}]"
        initiative = _one(reader, item, path, INITIATIVE, check_initiative,
                          prepare=lambda v: {**v, "ref": v["ref"].upper(), "archived": bool(v["archived"])})
        if initiative and initiative["owner_email"] is not None:
            initiative["owner_email"] = normal_email(initiative["owner_email"])
            if initiative["owner_email"] not in emails:
                reader.note(f"{path}.owner_email", "is not the email of a coalition member in this document")
        benefits = []
        if isinstance(item, dict):
            benefits = [_one(reader, benefit, f"{path}.benefits[{n}]", BENEFIT, check_benefit)
                        for n, benefit in enumerate(reader.items(item, "benefits", f"{path}."))]
        initiatives.append((initiative, benefits))
    _unique(reader, "initiatives", [i and i["ref"] for i, _ in initiatives], "ref",
            "another initiative has this reference")

    governance = _check_governance(reader, document, initiatives, emails)
    if reader.problems:
        raise ImportRefused(reader.problems)
    return Plan(organisation, stages, readiness, members, teams, initiatives, governance)


def _one(reader, item, path, spec, check, prepare=None) -> dict | None:
    if reader.obj(item, path) is None:
        return None
    values = _read(reader, item, path, spec)
    if values is None:
        return None
    values = _with_defaults(values)
    if prepare:
        values = prepare(values)
    _check(reader, path, check(values))
    return values


def _each(reader, document, key, spec, check, prepare=None) -> list[dict | None]:
    return [_one(reader, item, f"{key}[{index}]", spec, check, prepare)
            for index, item in enumerate(reader.items(document, key, ""))]


def _unique(reader, key, values, field_name, message) -> None:
    seen = set()
    for index, value in enumerate(values):
        if value is None:
            continue
        if value in seen:
            reader.note(f"{key}[{index}].{field_name}", message)
        seen.add(value)


def write_plan(plan: Plan) -> Organisation:
    """Write a checked plan, replacing an organisation of the same slug; flushes, never commits."""
    values = plan.organisation
    if slug_taken(values["slug"]):
        delete_organisation(organisation_by_slug(values["slug"]))
    organisation = create_organisation(**values)
    for stage in plan.stages:
        assess_stage(organisation, **stage)
    for assessment in plan.readiness:
        assess_readiness(organisation, **assessment)
    members = {m["email"]: add_member(organisation, **m) for m in plan.members}
    for team_values, roles in plan.teams:
        team = create_team(organisation, **team_values)
        for role in roles:
            log_role(team, **role)
    initiatives, benefits_made = {}, {}
    for index, (initiative_values, benefits) in enumerate(plan.initiatives):
        fields = dict(initiative_values)
        owner_email = fields.pop("owner_email")
        initiative = create_initiative(organisation, owner=members.get(owner_email), **fields)
        initiatives[initiative.ref] = initiative
        for number, benefit in enumerate(benefits):
            benefits_made[(index, number)] = add_benefit(initiative, **benefit)
    write_governance(organisation, plan.governance, list(initiatives.values()), initiatives, members, benefits_made)
    return organisation


def import_text(text: str, replace: bool = False) -> Organisation:
    """Check and write a document given as JSON text; ImportRefused (nothing written) when it has problems."""
    try:
        document = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        raise ImportRefused([f"(document): not JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"]) from None
    plan = check_document(document, replace=replace)
    organisation = write_plan(plan)
    db.session.flush()
    return organisation


# -- the optional governance keys ------------------------------------------------------------------------

UPDATE = {"posted_on": ("date", True), "author": ("text", False), "status": ("text", True),
          "health": ("text", True), "progress": ("integer", True), "note": ("text", False)}
MILESTONE = {"title": ("text", True), "due_on": ("date", True), "original_due_on": ("date", False),
             "done_on": ("date", False)}
SLIP = {"moved_on": ("date", True), "from_date": ("date", True), "to_date": ("date", True),
        "author": ("text", False)}
ACTUAL = {"month": ("date", True), "amount": ("decimal", True), "note": ("text", False)}
MEETING = {"held_on": ("date", True), "title": ("text", True), "attendee_emails": ("strings", False),
           "agenda_refs": ("strings", False), "other_items": ("text", False), "minutes": ("text", False)}
DECISION = {"text": ("text", True), "refs": ("strings", False)}
ACTION = {"title": ("text", True), "owner_email": ("text", False), "due_on": ("date", False),
          "status": ("text", True), "done_on": ("date", False), "ref": ("text", False)}


def _plain_items(reader, parent, key, path, spec) -> list[dict] | None:
    """The list under an optional key, each item read per spec; None when the key is absent."""
    if not isinstance(parent, dict) or key not in parent:
        return None
    items = []
    prefix = f"{path}." if path else ""
    for index, item in enumerate(reader.items(parent, key, prefix)):
        where = f"{prefix}{key}[{index}]"
        if reader.obj(item, where) is not None:
            values = _read(reader, item, where, spec)
            if values is not None:
                items.append((where, item, values))
    return items


def _check_governance(reader, document, initiatives, emails) -> dict:
    from cxroadmap.initiatives.states import HEALTHS, STATUSES

    refs = {i["ref"] for i, _ in initiatives if i}
    governance = {"initiatives": {}, "meetings": []}
    for index, item in enumerate(document.get("initiatives") or []):
        path = f"initiatives[{index}]"
        if not isinstance(item, dict):
            continue
        entry = {}
        updates = _plain_items(reader, item, "status_updates", path, UPDATE)
        if updates is not None:
            for where, _, values in updates:
                if values["status"] not in STATUSES:
                    reader.note(f"{where}.status", f"Use {STATUSES.describe()}.")
                if values["health"] not in HEALTHS:
                    reader.note(f"{where}.health", f"Use {HEALTHS.describe()}.")
                if not 0 <= values["progress"] <= 100:
                    reader.note(f"{where}.progress", "Progress is a whole percentage from 0 to 100.")
            entry["status_updates"] = [_with_defaults(values) for _, _, values in updates]
        milestones = _plain_items(reader, item, "milestones", path, MILESTONE)
        if milestones is not None:
            entry["milestones"] = []
            for where, raw, values in milestones:
                slips = _plain_items(reader, raw, "slips", where, SLIP) or []
                entry["milestones"].append((_with_defaults(values), [_with_defaults(v) for _, _, v in slips]))
        waits = item.get("waits_for")
        if waits is not None:
            if not isinstance(waits, list) or not all(isinstance(ref, str) for ref in waits):
                reader.note(f"{path}.waits_for", "not a list of strings")
            else:
                for ref in waits:
                    if ref.upper() not in refs:
                        reader.note(f"{path}.waits_for", f"{ref} is not an initiative in this document")
                entry["waits_for"] = [ref.upper() for ref in waits]
        actuals = {}
        for number, benefit in enumerate(item.get("benefits") or []):
            found = _plain_items(reader, benefit, "actuals", f"{path}.benefits[{number}]", ACTUAL)
            if found:
                actuals[number] = [_with_defaults(values) for _, _, values in found]
        entry["actuals"] = actuals
        governance["initiatives"][index] = entry
    for where, raw, values in _plain_items(reader, document, "meetings", "", MEETING) or []:
        for email in values["attendee_emails"] or []:
            if normal_email(email) not in emails:
                reader.note(f"{where}.attendee_emails", f"{email} is not a coalition member in this document")
        for ref in values["agenda_refs"] or []:
            if ref.upper() not in refs:
                reader.note(f"{where}.agenda_refs", f"{ref} is not an initiative in this document")
        decisions = [_with_defaults(v) for _, _, v in _plain_items(reader, raw, "decisions", where, DECISION) or []]
        actions = []
        for action_where, _, action in _plain_items(reader, raw, "actions", where, ACTION) or []:
            if action["status"] not in ("open", "done"):
                reader.note(f"{action_where}.status", "Use open or done.")
            if action["owner_email"] and normal_email(action["owner_email"]) not in emails:
                reader.note(f"{action_where}.owner_email", "is not a coalition member in this document")
            if action["ref"] and action["ref"].upper() not in refs:
                reader.note(f"{action_where}.ref", "is not an initiative in this document")
            actions.append(_with_defaults(action))
        governance["meetings"].append((_with_defaults(values), decisions, actions))
    return governance


def write_governance(organisation, governance, ordered, initiatives, members, benefits_made) -> None:
    """Write the optional keys: history (replacing the update each creation makes), milestones, dependencies,
    realised amounts and meetings."""
    from cxroadmap.benefits.services import record_actual
    from cxroadmap.governance.services import assign_action, plan_meeting, record_decision, set_action_done
    from cxroadmap.initiatives.models import Milestone, MilestoneSlip, StatusUpdate
    from cxroadmap.initiatives.tracking import add_dependency

    for index, entry in (governance.get("initiatives") or {}).items():
        initiative = ordered[index]
        if "status_updates" in entry:
            db.session.execute(db.delete(StatusUpdate).where(StatusUpdate.initiative_id == initiative.id))
            db.session.add_all([StatusUpdate(initiative=initiative, **values) for values in entry["status_updates"]])
        for values, slips in entry.get("milestones", []):
            milestone = Milestone(initiative=initiative, title=values["title"], due_on=values["due_on"],
                                  original_due_on=values["original_due_on"] or values["due_on"],
                                  done_on=values["done_on"])
            milestone.slips = [MilestoneSlip(**slip) for slip in slips]
            db.session.add(milestone)
        for number, actuals in entry.get("actuals", {}).items():
            for actual in actuals:
                record_actual(benefits_made[(index, number)], actual["month"], actual["amount"], actual["note"])
    for index, entry in (governance.get("initiatives") or {}).items():
        for ref in entry.get("waits_for", []):
            add_dependency(organisation, ordered[index], initiatives[ref])
    for values, decisions, actions in governance.get("meetings", []):
        meeting = plan_meeting(
            organisation, values["held_on"], values["title"],
            [members[normal_email(e)].id for e in values["attendee_emails"] or []],
            [initiatives[ref.upper()].id for ref in values["agenda_refs"] or []], values["other_items"],
            values["minutes"])
        for decision in decisions:
            record_decision(organisation, meeting, decision["text"],
                            [initiatives[ref.upper()].id for ref in decision["refs"] or []])
        for action in actions:
            owner = members.get(normal_email(action["owner_email"])) if action["owner_email"] else None
            made = assign_action(organisation, meeting, action["title"], owner.id if owner else None,
                                 action["due_on"], initiatives[action["ref"].upper()].id if action["ref"] else None)
            if action["status"] == "done":
                set_action_done(made, True, on=action["done_on"])
    db.session.flush()
