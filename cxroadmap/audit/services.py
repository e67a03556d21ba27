"""Recording the audit trail (every change is caught at flush time) and reading it back."""

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import event, inspect, or_, select
from sqlalchemy.orm import Session

from cxroadmap.audit.models import AuditEvent
from cxroadmap.database import Versioned
from cxroadmap.extensions import db
from cxroadmap.organisations.data_version import organisation_id_of
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import tidy


@dataclass(frozen=True)
class Actor:
    """Who is acting: a signed-in user, a command line, or nobody yet."""

    label: str
    user_id: int | None = None
    address: str = ""


def person(user, address: str = "", via: str = "") -> Actor:
    """A signed-in person as the trail, status updates and edit conflicts name them: by their name (their email
    only while they have none), then how they act when it is not a page (an API token)."""
    label = user.name or user.email
    return Actor((f"{label} ({via})" if via else label)[:254], user.id, address)


_actor: ContextVar[Actor] = ContextVar("audit_actor", default=Actor("system"))  # noqa: B039 - Actor is frozen

# Within summarised(): changes are not recorded row by row; the caller records one event for all of them.
_summarised: ContextVar[bool] = ContextVar("audit_summarised", default=False)

# Fields never written into the trail, whatever changes them.
_UNRECORDED = {"version", "updated_at", "updated_by", "created_at", "password_hash", "totp_secret",
               "totp_last_step", "recovery_codes", "token_hash", "token_salt", "last_seen_at", "content",
               "snapshot", "secret", "secret_url", "logo_png"}


def audit_name(obj) -> str | None:
    """The name a model goes by in the trail; models declare it as __audit_name__ (others are not recorded)."""
    return getattr(type(obj), "__audit_name__", None)


def set_actor(actor: Actor) -> object:
    """Make actor the one recorded from now on in this context; returns a token for reset_actor."""
    return _actor.set(actor)


def reset_actor(token) -> None:
    _actor.reset(token)


def current_actor() -> Actor:
    return _actor.get()


@contextmanager
def summarised() -> Iterator[None]:
    """Within this block, flushed changes leave no event each: for bulk work (an import) that records one
    event saying what it did as a whole."""
    token = _summarised.set(True)
    try:
        yield
    finally:
        _summarised.reset(token)


def _plain(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | dict | str | int | float | bool) or value is None:
        return value
    return str(value)


def _changes(obj, created: bool) -> dict:
    state = inspect(obj)
    changes = {}
    for attribute in state.mapper.column_attrs:
        key = attribute.key
        if key in _UNRECORDED or key == "id":
            continue
        history = state.attrs[key].history
        if created:
            value = getattr(obj, key)
            if value not in (None, "", [], False):
                changes[key] = [None, _plain(value)]
        elif history.has_changes():
            before = history.deleted[0] if history.deleted else None
            after = history.added[0] if history.added else None
            if _plain(before) != _plain(after):
                changes[key] = [_plain(before), _plain(after)]
    return changes


def label_of(obj) -> str:
    for fields in (("ref", "title"), ("code", "name"), ("name",), ("title",), ("stage",), ("question",), ("kind",),
                   ("role",)):
        values = [str(getattr(obj, f)) for f in fields if getattr(obj, f, None)]
        if values:
            return " ".join(values)[:300]
    return ""


def _action(obj, changes: dict, created: bool, deleted: bool) -> str:
    if created:
        return "create"
    if deleted:
        return "delete"
    if set(changes) == {"archived"}:
        return "archive" if changes["archived"][1] else "restore"
    if type(obj).__name__ == "Membership" and "role" in changes:
        return "role_change"
    return "update"


def _row(actor: Actor, action: str, **fields) -> dict:
    row = {"occurred_at": utcnow(), "user_id": actor.user_id, "actor": actor.label, "action": action,
           "address": actor.address, "organisation_id": None, "object_type": "", "object_id": "",
           "object_label": "", "changes": {}, **fields}
    # What was typed at a sign-in reaches the trail as it came: no control characters (PostgreSQL refuses NUL).
    for name, limit in (("actor", 254), ("address", 64), ("object_label", 300), ("object_id", 40)):
        row[name] = tidy(row[name])[:limit]
    return row


@event.listens_for(Session, "before_flush")
def _stamp_versions(session, flush_context, instances):
    actor = _actor.get().label[:254]
    for obj in list(session.new) + [o for o in session.dirty if session.is_modified(o)]:
        if isinstance(obj, Versioned):
            obj.updated_by = actor


@event.listens_for(Session, "after_flush")
def _record_changes(session, flush_context):
    # After the flush ids exist, while new/dirty/deleted and attribute history still show what was flushed.
    if _summarised.get():
        return
    actor = _actor.get()
    rows = []
    groups = ((session.new, True, False), (session.dirty, False, False), (session.deleted, False, True))
    for objects, created, deleted in groups:
        for obj in objects:
            name = audit_name(obj)
            if name is None or (not created and not deleted and not session.is_modified(obj)):
                continue
            changes = {} if deleted else _changes(obj, created)
            if not changes and not created and not deleted:
                continue
            rows.append(_row(actor, _action(obj, changes, created, deleted), organisation_id=organisation_id_of(obj),
                             object_type=name, object_id=str(obj.id),
                             object_label=label_of(obj), changes=changes))
    if rows:
        session.connection().execute(AuditEvent.__table__.insert(), rows)


def record(action: str, organisation: Organisation | None = None, object_type: str = "", object_id="",
           object_label: str = "", changes: dict | None = None, actor: Actor | None = None) -> None:
    """Write an event that no table change shows: a sign-in, a refusal, a download (within summarised(),
    none: the bulk work records its own)."""
    if _summarised.get():
        return
    actor = actor or _actor.get()
    db.session.execute(AuditEvent.__table__.insert(), [_row(
        actor, action, organisation_id=organisation.id if organisation else None, object_type=object_type,
        object_id=str(object_id), object_label=object_label[:300], changes=changes or {})])


def record_apart(action: str, organisation: Organisation | None = None, **fields) -> None:
    """record() on a connection and transaction of its own, committed at once.

    For requests that only read (a download): their own transaction holds no write lock, so writing here
    cannot wait on it. Never call it from a request that writes: on SQLite it would wait for its own lock.
    """
    row = _row(_actor.get(), action, organisation_id=organisation.id if organisation else None, **fields)
    with db.engine.begin() as connection:
        connection.execute(AuditEvent.__table__.insert(), [row])


# -- reading the trail ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class TrailFilter:
    object_type: str = ""
    person: str = ""
    since: date | None = None
    until: date | None = None


def trail_query(organisation: Organisation, wanted: TrailFilter):
    query = select(AuditEvent).where(AuditEvent.organisation_id == organisation.id)
    if wanted.object_type:
        query = query.where(AuditEvent.object_type == wanted.object_type)
    if wanted.person:
        pattern = "%" + wanted.person.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(or_(db.func.lower(AuditEvent.actor).like(pattern, escape="\\")))
    if wanted.since:
        query = query.where(AuditEvent.occurred_at >= datetime.combine(wanted.since, time.min, utcnow().tzinfo))
    if wanted.until:
        end = datetime.combine(wanted.until + timedelta(days=1), time.min, utcnow().tzinfo)
        query = query.where(AuditEvent.occurred_at < end)
    return query.order_by(AuditEvent.occurred_at.desc(), AuditEvent.id.desc())


def trail_page(organisation: Organisation, wanted: TrailFilter, page: int, per_page: int = 50):
    return db.paginate(trail_query(organisation, wanted), page=page, per_page=per_page, error_out=False)


def object_history(organisation: Organisation, object_type: str, object_id: int, limit: int = 50) -> list[AuditEvent]:
    query = trail_query(organisation, TrailFilter(object_type=object_type)).where(
        AuditEvent.object_id == str(object_id)).limit(limit)
    return list(db.session.scalars(query))


def object_types() -> list[str]:
    names = {getattr(mapper.class_, "__audit_name__", None) for mapper in db.Model.registry.mappers}
    return sorted(name for name in names if name)
