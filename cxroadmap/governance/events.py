"""The event of governance: an open action passing its due date, raised by time (the scheduler looks for it)."""

from datetime import datetime

from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem
from cxroadmap.i18n import _l
from cxroadmap.mail import absolute_url
from cxroadmap.notifications.events import EventKind, TimedEvent
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import all_organisations
from cxroadmap.timeutil import local_date


def _action_data(action: ActionItem, organisation: Organisation) -> dict:
    return {"action": {"id": action.id, "title": action.title, "due_on": action.due_on.isoformat(),
                       "owner": action.owner.name if action.owner else None,
                       "initiative": action.initiative.ref if action.initiative else None,
                       "url": absolute_url("governance.meetings", slug=organisation.slug)}}


def overdue_actions(now: datetime) -> list[TimedEvent]:
    """Every open action whose due date has passed in its organisation's time zone (raised once per due date)."""
    found = []
    for organisation in all_organisations():
        on = local_date(now, organisation.time_zone)
        actions = db.session.scalars(ActionItem.scoped_to(organisation).where(
            ActionItem.status == "open", ActionItem.due_on < on).order_by(ActionItem.id))
        found.extend(TimedEvent(f"event:action.overdue:{action.id}:{action.due_on}", organisation,
                                lambda a=action, o=organisation: _action_data(a, o)) for action in actions)
    return found


EVENT_KINDS = (EventKind("action.overdue", _l("An action passed its due date"), due=overdue_actions),)
