"""The events of initiatives: their status or health changing, found in what a flush writes."""

from sqlalchemy import inspect, select

from cxroadmap.i18n import _l
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.mail import absolute_url
from cxroadmap.notifications.events import Detection, EventKind, Found
from cxroadmap.organisations.models import Organisation

WATCHED = ("status", "health")


def initiative_data(initiative: Initiative, organisation: Organisation) -> dict:
    return {"ref": initiative.ref, "title": initiative.title, "status": initiative.status,
            "health": initiative.health, "progress": initiative.progress,
            "url": absolute_url("initiatives.show", slug=organisation.slug, ref=initiative.ref)}


def _changes_of(session, initiative: Initiative) -> list[tuple[str, str, str]]:
    """(attribute, before, after) for status and health changed on the initiative in this flush."""
    state = inspect(initiative)
    found = []
    for attribute in WATCHED:
        history = state.attrs[attribute].history
        if not history.added:
            continue
        if history.deleted:
            before = history.deleted[0]
        else:
            # The old value was not loaded (the object had expired): the database still holds it before the flush.
            column = getattr(Initiative, attribute)
            before = session.connection().scalar(select(column).where(Initiative.id == initiative.id))
        if before is not None and before != history.added[0]:
            found.append((attribute, before, history.added[0]))
    return found


def _before(session) -> list:
    return [(obj, attribute, before, after) for obj in session.dirty
            if isinstance(obj, Initiative) and obj.id is not None and session.is_modified(obj)
            for attribute, before, after in _changes_of(session, obj)]


def _event(initiative: Initiative, attribute: str, before: str, after: str) -> Found:
    def data(organisation: Organisation) -> dict:
        return {"initiative": initiative_data(initiative, organisation), "from": before, "to": after,
                "field": attribute}
    return Found(initiative.organisation_id, f"initiative.{attribute}_changed", data)


CHANGES = Detection(before=_before, after=lambda session, notes: [_event(*note) for note in notes])

EVENT_KINDS = (
    EventKind("initiative.status_changed", _l("An initiative's status changed"), detect=CHANGES,
              values=STATUSES),
    EventKind("initiative.health_changed", _l("An initiative's health changed"), detect=CHANGES,
              values=HEALTHS),
)
