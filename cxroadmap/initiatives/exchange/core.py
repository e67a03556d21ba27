"""The initiatives of a cxroadmap/1 document: each one's own keys (reference, title, owner, status, dates, costs),
checked with their JSON paths and written in bulk. What hangs off them comes from the parts after this one: their
benefits (benefits/exchange.py), their history, milestones and dependencies (tracking), their touchpoints, KPIs."""

from decimal import Decimal

from cxroadmap.decimals import decimal_text
from cxroadmap.emails import normal_email
from cxroadmap.exchangekit.parts import Writing
from cxroadmap.exchangekit.reading import Reader, note_repeats, read_one
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import all_initiatives, check_initiative
from cxroadmap.organisations.models import Organisation

INITIATIVE = {"ref": ("text", True), "title": ("text", True), "description": ("text", False),
              "readiness_question": ("text", True), "owner_email": ("text", False), "status": ("text", True),
              "health": ("text", True), "progress": ("integer", True), "start_date": ("date", False),
              "due_date": ("date", False), "target_stage": ("text", False), "one_off_cost": ("decimal", True),
              "annual_running_cost": ("decimal", True), "archived": ("boolean", False)}


def day(value):
    return value.isoformat() if value else None


def listed(organisation: Organisation) -> list[Initiative]:
    """Every initiative, archived ones too, in the document's order (shorter references first)."""
    return sorted(all_initiatives(organisation), key=lambda i: (len(i.ref), i.ref))


def own_keys(_organisation: Organisation, initiatives: list[Initiative]) -> dict[int, dict]:
    """Each initiative's own keys, the first of its object in the document."""
    return {initiative.id: {
        "ref": initiative.ref,
        "title": initiative.title,
        "description": initiative.description,
        "readiness_question": initiative.readiness_question,
        "owner_email": initiative.owner.email if initiative.owner else None,
        "status": initiative.status,
        "health": initiative.health,
        "progress": initiative.progress,
        "start_date": day(initiative.start_date),
        "due_date": day(initiative.due_date),
        "target_stage": initiative.target_stage,
        "one_off_cost": decimal_text(initiative.one_off_cost, 2),
        "annual_running_cost": decimal_text(initiative.annual_running_cost, 2),
        "archived": initiative.archived,
    } for initiative in initiatives}


def check_initiatives(reader: Reader, document: dict, known: dict) -> list[dict | None]:
    """Each initiative's own keys, by position (None for one that did not read); owners must be in the
    document's coalition (known["emails"]). The parts after this one read known["initiatives"] (these) and
    known["refs"] (their references)."""
    emails = known.get("emails", set())
    initiatives = []
    for index, item in enumerate(reader.items(document, "initiatives", "")):
        path = f"initiatives[{index}]"
        initiative = read_one(reader, item, path, INITIATIVE, check_initiative,
                              prepare=lambda v: {**v, "ref": v["ref"].upper(), "archived": bool(v["archived"])})
        if initiative and initiative["owner_email"] is not None:
            initiative["owner_email"] = normal_email(initiative["owner_email"])
            if initiative["owner_email"] not in emails:
                reader.note(f"{path}.owner_email", _("is not the email of a coalition member in this document"))
        initiatives.append(initiative)
    note_repeats(reader, "initiatives", [i and i["ref"] for i in initiatives], "ref",
                 _("another initiative has this reference"))
    known.update(refs={i["ref"] for i in initiatives if i}, initiatives=initiatives)
    return initiatives


def write_initiatives(organisation: Organisation, initiatives: list[dict], writing: Writing) -> dict:
    """The initiatives in a few multi-row INSERTs, their owners found among the members written before them;
    their ids by reference in writing.initiative_ids."""
    rows = []
    for initiative in initiatives:
        row = {key: value for key, value in initiative.items() if key != "owner_email"}
        row.update(organisation_id=organisation.id, owner_id=writing.member_ids.get(initiative["owner_email"]),
                   target_stage=initiative["target_stage"] or None)
        for money in ("one_off_cost", "annual_running_cost"):
            if row[money] is None:
                row[money] = Decimal("0.00")
        rows.append(row)
    ids = writing.insert(Initiative, rows)
    writing.initiative_ids.update({initiative["ref"]: initiative_id
                                   for initiative, initiative_id in zip(initiatives, ids, strict=True)})
    return {"initiatives": len(initiatives)}
