"""The initiatives' part of a cxroadmap/1 document that names the journey: `initiatives[].touchpoints`, the
touchpoints each initiative improves, by key."""

from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.touchpoints import set_touchpoints, touchpoint_keys_by_initiative
from cxroadmap.organisations.models import Organisation


def initiative_touchpoints(organisation: Organisation, initiatives: list) -> dict[int, dict]:
    """Each initiative's `touchpoints` key: the keys of the touchpoints it improves (one query)."""
    keys = touchpoint_keys_by_initiative(organisation)
    return {initiative.id: {"touchpoints": keys.get(initiative.id, [])} for initiative in initiatives}


def check_touchpoints(reader, document, known: dict) -> dict:
    """Each initiative's touchpoints, checked against the document's journey (known["journey_keys"]):
    {"initiative_touchpoints": {ref: [key, …]}}."""
    plan = {"initiative_touchpoints": {}}
    keys, initiatives = known["journey_keys"], known["initiatives"]
    for index, item in enumerate(document.get("initiatives") or []):
        if not isinstance(item, dict) or "touchpoints" not in item:
            continue
        where = f"initiatives[{index}].touchpoints"
        named = reader.get(item, "touchpoints", f"initiatives[{index}]", "strings", required=False)
        if not isinstance(named, list):
            continue
        for number, key in enumerate(named):
            if key not in keys:
                reader.note(f"{where}[{number}]", _("is not the key of a touchpoint in this document's journey"))
        if len(set(named)) != len(named):
            reader.note(where, _("names a touchpoint twice"))
        initiative = initiatives[index] if index < len(initiatives) else None
        if initiative:
            plan["initiative_touchpoints"][initiative["ref"]] = named

    return plan


def initiatives_by_ref(organisation: Organisation, refs) -> dict[str, Initiative]:
    """The organisation's initiatives of these references (only those: an import writes thousands), by ref."""
    wanted = sorted(refs)
    return {i.ref: i for start in range(0, len(wanted), 500) for i in db.session.scalars(
        Initiative.scoped_to(organisation).where(Initiative.ref.in_(wanted[start:start + 500])))}


def write_touchpoints(organisation: Organisation, plan: dict, _writing) -> dict:
    """Link the written initiatives to the written touchpoints."""
    touched = {ref: keys for ref, keys in plan["initiative_touchpoints"].items() if keys}
    if touched:
        initiatives = initiatives_by_ref(organisation, touched)
        for ref, keys in touched.items():
            set_touchpoints(organisation, initiatives[ref], keys)
    return {}


# After the journey, which it names, and before the KPIs (each initiative's keys: touchpoints, then kpis).
TOUCHPOINTS = ExchangePart(order=15, export=lambda _organisation, _answers: {}, check=check_touchpoints,
                           write=write_touchpoints, initiatives=initiative_touchpoints)
