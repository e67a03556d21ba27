"""Which touchpoints of the journey an initiative works on: naming them, and reading them from either side."""

from sqlalchemy import delete, insert, select

from cxroadmap.audit.services import record
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import JourneyStage, Touchpoint, initiative_touchpoint
from cxroadmap.organisations.models import Organisation


def touchpoints_of(initiative: Initiative) -> list[Touchpoint]:
    """The touchpoints the initiative works on, in journey order."""
    query = (select(Touchpoint).join(initiative_touchpoint).join(JourneyStage)
             .where(initiative_touchpoint.c.initiative_id == initiative.id)
             .order_by(JourneyStage.position, Touchpoint.position, Touchpoint.id))
    return list(db.session.scalars(query))


def touchpoint_keys_by_initiative(organisation: Organisation) -> dict[int, list[str]]:
    """For every initiative of the organisation that names touchpoints: their keys, sorted (for exports)."""
    query = (select(initiative_touchpoint.c.initiative_id, Touchpoint.key).join(Touchpoint)
             .where(Touchpoint.organisation_id == organisation.id).order_by(Touchpoint.key))
    found: dict[int, list[str]] = {}
    for initiative_id, key in db.session.execute(query):
        found.setdefault(initiative_id, []).append(key)
    return found


def initiatives_on(touchpoint: Touchpoint) -> list[Initiative]:
    """The initiatives that work on the touchpoint, by reference."""
    query = (select(Initiative).join(initiative_touchpoint)
             .where(initiative_touchpoint.c.touchpoint_id == touchpoint.id,
                    Initiative.organisation_id == touchpoint.organisation_id)
             .order_by(Initiative.ref))
    return list(db.session.scalars(query))


def set_touchpoints(organisation: Organisation, initiative: Initiative, keys: list[str]) -> list[Touchpoint]:
    """Make the initiative work on exactly these touchpoints (by key); an unknown key refuses all of them."""
    wanted = sorted(set(keys))
    found = {t.key: t for t in db.session.scalars(Touchpoint.scoped_to(organisation).where(Touchpoint.key.in_(wanted)))}
    unknown = [key for key in wanted if key not in found]
    if unknown:
        raise DomainError({"touchpoints": _("No touchpoint %(keys)s on this journey.", keys=", ".join(unknown))})
    before = sorted(t.key for t in touchpoints_of(initiative))
    if before == wanted:
        return touchpoints_of(initiative)
    db.session.execute(delete(initiative_touchpoint).where(initiative_touchpoint.c.initiative_id == initiative.id))
    if wanted:
        db.session.execute(insert(initiative_touchpoint), [
            {"initiative_id": initiative.id, "touchpoint_id": found[key].id} for key in wanted])
    # A link table has no row of its own the trail could watch, so the change is written down here.
    record("update", organisation, "Initiative", initiative.id, f"{initiative.ref} {initiative.title}",
           {"touchpoints": [before, wanted]})
    db.session.flush()
    return touchpoints_of(initiative)
