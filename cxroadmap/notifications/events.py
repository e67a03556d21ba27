"""The events webhooks carry: the kinds the areas contribute, and how a change in the database becomes an event.

An area registers each kind of event it emits in its `load(area)`: `area.add(EventKind(name, label, detect=…))`.
Most are found in what a flush writes (`detect`, a `Detection`: what to note before the flush, what it found
after it); some are raised by time (`due`, like an action passing its due date), which the scheduler's webhook
work looks for. This module knows no area: it asks `contributions(EventKind)`, in the areas' loading order.

A request only records an event: when the session flushes a change that is one, a delivery row is written for
each active endpoint of the organisation that wants it, in the same transaction; the scheduler sends them.
"""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from flask import has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy import select
from sqlalchemy.orm import Session

from cxroadmap.areas import contributions, registry
from cxroadmap.choices import Choice, Choices
from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow


@dataclass(frozen=True)
class Found:
    """One event found in a flush: its organisation, its name, and how its data is made (given the organisation,
    for links) once the flush is over."""

    organisation_id: int
    name: str
    data: Callable[[Organisation], dict]


@dataclass(frozen=True, eq=False)
class Detection:
    """How events are found in what a flush writes.

    `before(session)` runs before each flush and returns notes to keep (what only the state before the flush can
    tell, such as an old value); `after(session, notes)` runs after the flush with the notes kept since the last
    one (while `session.new` and `session.dirty` still list what was flushed) and returns what it found. Kinds
    found together (a status and a health change) share one Detection, which runs once per flush.
    """

    after: Callable[[Session, list], list[Found]]
    before: Callable[[Session], list] | None = None


@dataclass(frozen=True)
class TimedEvent:
    """An event raised by time rather than by a change: `key` names it, so it is raised once."""

    key: str
    organisation: Organisation
    data: Callable[[], dict]


@dataclass(frozen=True)
class EventKind:
    """A kind of event an area emits: its name (`initiative.status_changed`), what the webhook form calls it, and
    how it is found: in a flush (`detect`) or by time (`due(now)`: the events due by then, sent or not).
    `values` (Choices) names the keys its data's "from" and "to" hold, for messages people read (chat)."""

    name: str
    label: Any
    detect: Detection | None = None
    due: Callable[[datetime], list[TimedEvent]] | None = None
    values: Choices | None = None


@dataclass(frozen=True)
class EventSink:
    """Another way events leave besides webhooks (an area's chat channels): `record(connection, organisation,
    name, data, now)` writes what it will send for the event, in the same transaction, and says how many."""

    name: str
    record: Callable[[Any, Organisation, str, dict, datetime], int]


def event_kinds() -> list[EventKind]:
    return contributions(EventKind)


def events() -> Choices:
    """The kinds of event as choices (for the webhook form and pages), in the areas' loading order."""
    def choices() -> Choices:
        return Choices(*(Choice(kind.name, kind.label) for kind in event_kinds()))
    return registry().derived("notifications.events", choices)


def _detections() -> list[Detection]:
    def unique() -> list[Detection]:
        found: list[Detection] = []
        for kind in event_kinds():
            if kind.detect is not None and kind.detect not in found:
                found.append(kind.detect)
        return found
    return registry().derived("notifications.detections", unique)


def timed_kinds() -> list[EventKind]:
    return [kind for kind in event_kinds() if kind.due is not None]


def envelope(organisation: Organisation, name: str, data: dict, occurred_at: datetime) -> tuple[str, str]:
    """(event id, JSON body) of one event: the same bytes go to every endpoint and every attempt."""
    event_id = str(uuid.uuid4())
    body = {"id": event_id, "event": name, "occurred_at": occurred_at.isoformat(timespec="seconds"),
            "organisation": {"slug": organisation.slug, "name": organisation.name}, "data": data}
    return event_id, json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def wanting(connection, organisation_id: int, name: str) -> list[int]:
    """The active endpoints of the organisation that want event `name`."""
    endpoints = connection.execute(select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.organisation_id == organisation_id, WebhookEndpoint.active.is_(True))).all()
    return [endpoint_id for endpoint_id, wanted in endpoints if name in (wanted or [])]


def record_event(connection, organisation: Organisation, name: str, data: dict, now: datetime | None = None) -> int:
    """Write a delivery for each active endpoint of the organisation that wants event `name`, and what the event
    sinks the areas added send for it; how many."""
    now = now or utcnow()
    sunk = sum(sink.record(connection, organisation, name, data, now) for sink in contributions(EventSink))
    wanted = wanting(connection, organisation.id, name)
    if not wanted:
        return sunk
    event_id, body = envelope(organisation, name, data, now)
    connection.execute(WebhookDelivery.__table__.insert(), [
        {"endpoint_id": endpoint_id, "event_id": event_id, "event": name, "body": body, "created_at": now,
         "next_attempt_at": now, "attempts": 0, "last_error": ""} for endpoint_id in wanted])
    return sunk + len(wanted)


# -- the flush hooks -----------------------------------------------------------------------------------

NOTES = "event_notes"


@sa_event.listens_for(Session, "before_flush")
def _note_before_flush(session, flush_context, instances):
    if not has_app_context():
        return
    notes = session.info.setdefault(NOTES, {})
    for detection in _detections():
        if detection.before is not None:
            noted = detection.before(session)
            if noted:
                notes.setdefault(detection, []).extend(noted)


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_noted_changes(session, previous_transaction):
    """A flush that failed leaves what it noted behind: the rollback undoes the changes, so forget them too."""
    session.info.pop(NOTES, None)


@sa_event.listens_for(Session, "after_flush")
def _record_webhook_events(session, flush_context):
    if not has_app_context():
        return
    notes = session.info.pop(NOTES, {})
    found: list[Found] = []
    for detection in _detections():
        found.extend(detection.after(session, notes.get(detection, [])))
    if not found:
        return
    connection = session.connection()
    for item in found:
        organisation = session.get(Organisation, item.organisation_id)
        if organisation is not None:
            record_event(connection, organisation, item.name, item.data(organisation))
