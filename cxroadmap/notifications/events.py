"""The events webhooks carry, defined once, and how a change in the database becomes an event.

A request only records an event: when the session flushes a change that is one, a delivery row is written for
each active endpoint of the organisation that wants it, in the same transaction; `flask notify` sends them.
Detected on flush: an initiative's status or health changing, a report issued, a KPI reading recorded (new, or
the day's reading replaced), a KPI becoming off track because of a reading recorded (its status today, from its
latest reading, was not off track before the flush and is after it), an assessment round confirmed. Overdue
actions are found by `flask notify` itself.
"""

import json
import uuid
from datetime import datetime

from sqlalchemy import event as sa_event
from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from cxroadmap.assessments.models import AssessmentRound
from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l
from cxroadmap.initiatives.models import Initiative
from cxroadmap.mail import absolute_url
from cxroadmap.measures import calc
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.models import IssuedReport
from cxroadmap.timeutil import today, utcnow

EVENTS = Choices(
    Choice("initiative.status_changed", _l("An initiative's status changed")),
    Choice("initiative.health_changed", _l("An initiative's health changed")),
    Choice("action.overdue", _l("An action passed its due date")),
    Choice("report.issued", _l("A report was issued")),
    Choice("kpi.reading_added", _l("A KPI reading was recorded")),
    Choice("kpi.off_track", _l("A KPI went off track after a reading")),
    Choice("assessment.confirmed", _l("An assessment round was confirmed")),
)


def envelope(organisation: Organisation, name: str, data: dict, occurred_at: datetime) -> tuple[str, str]:
    """(event id, JSON body) of one event: the same bytes go to every endpoint and every attempt."""
    event_id = str(uuid.uuid4())
    body = {"id": event_id, "event": name, "occurred_at": occurred_at.isoformat(timespec="seconds"),
            "organisation": {"slug": organisation.slug, "name": organisation.name}, "data": data}
    return event_id, json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def initiative_data(initiative: Initiative, organisation: Organisation) -> dict:
    return {"ref": initiative.ref, "title": initiative.title, "status": initiative.status,
            "health": initiative.health, "progress": initiative.progress,
            "url": absolute_url("initiatives.show", slug=organisation.slug, ref=initiative.ref)}


def record_event(connection, organisation: Organisation, name: str, data: dict, now: datetime | None = None) -> int:
    """Write a delivery for each active endpoint of the organisation that wants event `name`; how many."""
    now = now or utcnow()
    endpoints = connection.execute(select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.organisation_id == organisation.id, WebhookEndpoint.active.is_(True))).all()
    wanted = [endpoint_id for endpoint_id, events in endpoints if name in (events or [])]
    if not wanted:
        return 0
    event_id, body = envelope(organisation, name, data, now)
    connection.execute(WebhookDelivery.__table__.insert(), [
        {"endpoint_id": endpoint_id, "event_id": event_id, "event": name, "body": body, "created_at": now,
         "next_attempt_at": now, "attempts": 0, "last_error": ""} for endpoint_id in wanted])
    return len(wanted)


def _changes_of(session, initiative: Initiative) -> list[tuple[str, str, str]]:
    """(attribute, before, after) for status and health changed on the initiative in this flush."""
    state = inspect(initiative)
    found = []
    for attribute in ("status", "health"):
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


def _kpi_status(connection, kpi: Kpi) -> str:
    """The KPI's status today from its latest reading as the database holds it (inside a flush: no autoflush)."""
    latest = None
    if kpi.id is not None:
        latest = connection.scalar(select(KpiReading.value).where(KpiReading.kpi_id == kpi.id)
                                   .order_by(KpiReading.taken_on.desc()).limit(1))
    return calc.status(kpi.line, latest, today())


def _was_confirmed_now(session, assessment_round: AssessmentRound) -> bool:
    history = inspect(assessment_round).attrs["confirmed_on"].history
    if not history.added or history.added[0] is None:
        return False
    if history.deleted:
        return history.deleted[0] is None
    before = session.connection().scalar(select(AssessmentRound.confirmed_on)
                                         .where(AssessmentRound.id == assessment_round.id))
    return before is None


@sa_event.listens_for(Session, "before_flush")
def _note_initiative_changes(session, flush_context, instances):
    noted = session.info.setdefault("webhook_events", [])
    readings = session.info.setdefault("webhook_kpi_readings", [])
    for obj in session.dirty:
        if isinstance(obj, Initiative) and obj.id is not None and session.is_modified(obj):
            for attribute, before, after in _changes_of(session, obj):
                noted.append((obj.organisation_id, f"initiative.{attribute}_changed", (obj, (before, after))))
        elif isinstance(obj, AssessmentRound) and obj.id is not None and _was_confirmed_now(session, obj):
            noted.append((obj.organisation_id, "assessment.confirmed", obj))
    # A reading recorded: new, or the day's reading replaced. The KPI's status before the flush is kept to tell
    # whether the reading put it off track.
    recorded = [obj for obj in session.new if isinstance(obj, KpiReading)]
    recorded += [obj for obj in session.dirty if isinstance(obj, KpiReading) and session.is_modified(obj)]
    connection = session.connection() if recorded else None
    before: dict[int, str] = {}
    for reading in recorded:
        kpi = reading.kpi
        if kpi is None:
            continue
        if id(kpi) not in before:
            before[id(kpi)] = _kpi_status(connection, kpi)
        readings.append((reading, kpi, before[id(kpi)]))


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget_noted_changes(session, previous_transaction):
    """A flush that failed leaves what it noted behind: the rollback undoes the changes, so forget them too."""
    session.info.pop("webhook_events", None)
    session.info.pop("webhook_kpi_readings", None)


def _events_of_flush(session) -> list[tuple[int, str, object]]:
    found = session.info.pop("webhook_events", [])
    for obj in session.new:
        if isinstance(obj, IssuedReport):
            found.append((obj.organisation_id, "report.issued", obj))
    readings = session.info.pop("webhook_kpi_readings", [])
    if readings:
        connection = session.connection()
        after: dict[int, str] = {}
        for reading, kpi, before in readings:
            first = id(kpi) not in after
            if first:
                after[id(kpi)] = _kpi_status(connection, kpi)
            found.append((kpi.organisation_id, "kpi.reading_added", (kpi, reading, before, after[id(kpi)])))
            if first and after[id(kpi)] == "off_track" and before != "off_track":
                found.append((kpi.organisation_id, "kpi.off_track", (kpi, reading, before, "off_track")))
    return found


def _plain(value) -> str:
    """A Decimal as plain digits, without trailing zeros or an exponent: 41.5, 100."""
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def kpi_data(kpi: Kpi, status: str, organisation: Organisation) -> dict:
    return {"code": kpi.code, "name": kpi.name, "unit": kpi.unit, "status": status,
            "url": absolute_url("measures.show", slug=organisation.slug, code=kpi.code)}


def _data(name: str, subject, organisation: Organisation) -> dict:
    if name.startswith("kpi."):
        kpi, reading, before, after = subject
        data = {"kpi": kpi_data(kpi, after, organisation),
                "reading": {"value": _plain(reading.value), "on": reading.taken_on.isoformat()}}
        if name == "kpi.off_track":
            data.update({"from": before, "to": after})
        return data
    if name == "assessment.confirmed":
        return {"assessment": {
            "id": subject.id, "title": subject.title, "stage": subject.confirmed_stage,
            "confirmed_on": subject.confirmed_on.isoformat(), "confirmed_by": subject.confirmed_by,
            "url": absolute_url("assessments.show", slug=organisation.slug, round_id=subject.id)}}
    if name == "report.issued":
        return {"report": {"id": subject.id, "kind": subject.kind, "filename": subject.filename,
                           "sha256": subject.sha256, "issued_by": subject.issued_by,
                           "url": absolute_url("reports.download", slug=organisation.slug, report_id=subject.id,
                                              filename=subject.filename)}}
    initiative, (before, after) = subject
    field = name.split(".")[1].removesuffix("_changed")
    return {"initiative": initiative_data(initiative, organisation), "from": before, "to": after, "field": field}


@sa_event.listens_for(Session, "after_flush")
def _record_webhook_events(session, flush_context):
    found = _events_of_flush(session)
    if not found:
        return
    connection = session.connection()
    for organisation_id, name, subject in found:
        organisation = session.get(Organisation, organisation_id)
        if organisation is not None:
            record_event(connection, organisation, name, _data(name, subject, organisation))
