"""The organisation's data version: changed by every committed write of its data, read before reusing figures.

Any flush of a row that belongs to an organisation notes the organisation; the commit then gives it a new stamp, in
the same transaction as the change. A model finds its organisation once, where it is declared: its own
`organisation_id` (`OrganisationOwned`), or `__organisation_path__`, the relationship to the row it belongs to (a
status update's `initiative`), which finds its own in turn. `tests/organisations/test_data_version.py` walks every
mapped table and fails when one that hangs off an organisation declares no way to it. Bulk writes that go round
the session's flush (an import) say so with `note_change`. The signal lives in the database, so every process and
worker sees it.

Each commit also logs what it touched (`DATA_CHANGE`): the unit of each row written (an initiative, for the row
itself and everything that hangs off it, as `__change_unit__` marks), or the table of a row that belongs to no
unit. Figures kept in a process read the log since they were worked out (`changes_since`) and work out again only
the units it names, instead of everything (the portfolio summary).
"""

from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import uuid4

from sqlalchemy import bindparam, event, func, insert, literal, or_, select, update
from sqlalchemy.orm import Session

from cxroadmap.caches import Cache
from cxroadmap.extensions import db
from cxroadmap.organisations.models import DATA_CHANGE, DataVersion, Organisation

_NOTED = "cxroadmap_changed_organisations"
_TOUCHED = "cxroadmap_changed_rows"  # organisation id -> {(table, unit id or None)} written in this transaction
_GONE = "cxroadmap_deleted_organisations"  # organisations deleted in this transaction: nothing to stamp or log
EVERYTHING = "*"  # the table a change log row names when anything may have changed (a bulk write)
MOST_LOGGED = 500  # units a commit logs one by one; a larger write logs that everything may have changed
_READ = "cxroadmap_stamps_read"  # stamps read with their organisation in this transaction, until it ends


def organisation_id_of(obj) -> int | None:
    """The organisation a row belongs to: its own column, or that of the row its model declares it belongs to
    (`__organisation_path__`); None for rows of no organisation (a user, a session)."""
    if isinstance(obj, Organisation):
        return obj.id
    if getattr(obj, "organisation_id", None) is not None:
        return obj.organisation_id
    path = getattr(type(obj), "__organisation_path__", None)
    parent = getattr(obj, path, None) if path else None
    return organisation_id_of(parent) if parent is not None else None


def organisation_models() -> list[type]:
    """Every mapped model whose table hangs off the organisation table by a chain of foreign keys (besides the
    stamp itself), found by walking the mappers."""
    reaching = {Organisation.__tablename__}
    grew = True
    while grew:
        grew = False
        for table in db.metadata.sorted_tables:
            if table.name not in reaching and any(fk.column.table.name in reaching for fk in table.foreign_keys):
                reaching.add(table.name)
                grew = True
    reaching -= {Organisation.__tablename__, DataVersion.__tablename__}
    return sorted((mapper.class_ for mapper in db.Model.registry.mappers if mapper.local_table.name in reaching),
                  key=lambda model: model.__name__)


def _finds_organisation(model: type, seen: frozenset = frozenset()) -> bool:
    if model is Organisation or "organisation_id" in db.inspect(model).columns:
        return True
    path = getattr(model, "__organisation_path__", None)
    relationship = db.inspect(model).relationships.get(path) if path else None
    if relationship is None or relationship.uselist or model in seen:
        return False
    return _finds_organisation(relationship.mapper.class_, seen | {model})


def undeclared_models() -> list[type]:
    """The models of an organisation's data that declare no way to it: no organisation_id of their own, and no
    `__organisation_path__` naming a many-to-one relationship to a row that finds it. Their writes would leave
    the stamp unchanged, so figures kept against it would go stale."""
    return [model for model in organisation_models() if not _finds_organisation(model)]


def note_change(organisation_id: int, session: Session | None = None, touched: tuple = (EVERYTHING, None)) -> None:
    """Say that the organisation's data changed in this transaction (for writes that bypass the flush: anything
    of it may have changed, unless `touched` names the table and unit written)."""
    info = (session or db.session()).info
    info.setdefault(_NOTED, set()).add(organisation_id)
    info.setdefault(_TOUCHED, {}).setdefault(organisation_id, set()).add(touched)


def unit_of(obj) -> tuple[str, int | None]:
    """(table, id) of the unit a row belongs to: the first row on its way to the organisation whose model is marked
    `__change_unit__` (an initiative, for its estimates, updates and milestones); (its own table, None) for a row
    of no unit."""
    current = obj
    while current is not None:
        if getattr(type(current), "__change_unit__", False):
            return type(current).__tablename__, current.id
        path = getattr(type(current), "__organisation_path__", None)
        current = getattr(current, path, None) if path else None
    return type(obj).__tablename__, None


def last_change(organisation_id: int) -> tuple[int, str | None]:
    """(id, stamp) of the latest change logged for the organisation; (0, None) before any. Read it before the
    data: a write that commits in between is then seen in the data and named again by `changes_since`."""
    found = db.session.execute(select(DATA_CHANGE.c.id, DATA_CHANGE.c.stamp)
                               .where(DATA_CHANGE.c.organisation_id == organisation_id)
                               .order_by(DATA_CHANGE.c.id.desc()).limit(1)).first()
    return (found.id, found.stamp) if found else (0, None)


def changes_since(organisation_id: int, last: tuple[int, str | None]) -> tuple[list[tuple], bool]:
    """(id, stamp, table, unit id or None) of every change committed to the organisation's data after `last` (as
    `last_change` gave it), in the order they committed; and whether the log holds `last`. When it does not (figures
    kept from another database, as tests make), everything is to be worked out again, and the list ends with the
    log's latest change all the same. One query; read it before the data it names, as `last_change`."""
    after, stamp = last
    latest = (select(func.max(DATA_CHANGE.c.id)).where(DATA_CHANGE.c.organisation_id == organisation_id)
              .scalar_subquery())
    query = (select(DATA_CHANGE.c.id, DATA_CHANGE.c.stamp, DATA_CHANGE.c.table_name, DATA_CHANGE.c.row_id)
             .where(DATA_CHANGE.c.organisation_id == organisation_id,
                    or_(DATA_CHANGE.c.id >= after, DATA_CHANGE.c.id == latest))
             .order_by(DATA_CHANGE.c.id))
    rows = [tuple(row) for row in db.session.execute(query)]
    if not after:
        return rows, True
    if rows and rows[0][:2] == (after, stamp):
        return rows[1:], True
    return rows, False


def changed_here(organisation_id: int, session: Session | None = None) -> bool:
    """Whether this transaction changed the organisation's data and has not committed yet: figures kept
    against the stamp would not show its own change."""
    return organisation_id in (session or db.session()).info.get(_NOTED, ())


def data_version(organisation: Organisation) -> str | None:
    """The organisation's current stamp (one query, unless it came with the organisation in this transaction);
    None when nothing was written since stamps began."""
    read = db.session().info.get(_READ, {})
    if organisation.id in read:
        return read[organisation.id]
    return db.session.scalar(select(DataVersion.stamp).where(DataVersion.organisation_id == organisation.id))


@cache
def _with_stamp():
    # Built once: every page of an organisation asks it first.
    return (select(Organisation, DataVersion.stamp)
            .outerjoin(DataVersion, DataVersion.organisation_id == Organisation.id)
            .where(Organisation.slug == bindparam("slug")))


def cached_for_version(kept: Cache, organisation: Organisation, key: tuple, make: Callable[[], Any]) -> Any:
    """What make() gives for the organisation's data as it stands, made once for each version of it (and key) and
    kept in `kept`: every process sees a committed write on its next ask. A transaction holding an uncommitted
    change of its own, or an organisation without a stamp yet, gets make() afresh."""
    stamp = None if changed_here(organisation.id) else data_version(organisation)
    if stamp is None:
        return make()
    return kept.get((organisation.id, stamp, *key), make)


def organisation_with_stamp(slug: str) -> Organisation | None:
    """The organisation with this slug, its stamp read in the same query and kept for `data_version` until the
    transaction ends (a page's first query, so a kept page costs one query less)."""
    found = db.session.execute(_with_stamp(), {"slug": slug}).first()
    if found is None:
        return None
    organisation, stamp = found
    remember_stamp(organisation, stamp)
    return organisation


def remember_stamp(organisation: Organisation, stamp: str | None) -> None:
    """Keep the stamp read with the organisation for `data_version`, until this transaction ends."""
    db.session().info.setdefault(_READ, {})[organisation.id] = stamp


@event.listens_for(Session, "after_flush")
def _note_flushed(session, flush_context):
    for obj in session.deleted:
        if isinstance(obj, Organisation):
            session.info.setdefault(_GONE, set()).add(obj.id)
    for objects in (session.new, session.dirty, session.deleted):
        for obj in objects:
            if obj in session.dirty and not session.is_modified(obj):
                continue
            organisation_id = organisation_id_of(obj)
            if organisation_id is not None:
                note_change(organisation_id, session, unit_of(obj))


@event.listens_for(Session, "before_commit")
def _stamp_changed(session):
    # Flushed here (the commit would flush next) so that its changes are noted too; the stamp is written
    # last, so a writer holds the stamp's row lock only for the moment before it commits.
    session.flush()
    touched = session.info.pop(_TOUCHED, {})
    gone = session.info.pop(_GONE, set())
    for organisation_id in sorted(session.info.pop(_NOTED, set()) - gone):
        stamp = _new_stamp(session, organisation_id)
        if stamp is not None:
            _log_change(session, organisation_id, stamp, touched.get(organisation_id, {(EVERYTHING, None)}))


def _new_stamp(session, organisation_id: int) -> str | None:
    """Give the organisation a new stamp, and say which; None when it no longer exists (it was just deleted)."""
    stamp = uuid4().hex
    done = session.execute(update(DataVersion).where(DataVersion.organisation_id == organisation_id)
                           .values(stamp=stamp))
    if done.rowcount == 0:  # the first write since stamps began (or the organisation was just deleted)
        done = session.execute(insert(DataVersion).from_select(
            ["organisation_id", "stamp"],
            select(Organisation.id, literal(stamp)).where(Organisation.id == organisation_id)))
    return stamp if done.rowcount != 0 else None


def _log_change(session, organisation_id: int, stamp: str, touched: set) -> None:
    """Log what the commit touched, after the new stamp: the stamp's row lock makes the log's ids follow the order
    in which the organisation's writes commit (on PostgreSQL too, where ids are taken before commit)."""
    if len(touched) > MOST_LOGGED or (EVERYTHING, None) in touched:
        touched = {(EVERYTHING, None)}
    session.execute(insert(DATA_CHANGE), [{"organisation_id": organisation_id, "table_name": table, "row_id": unit,
                                           "stamp": stamp}
                                          for table, unit in sorted(touched, key=lambda t: (t[0], t[1] or 0))])


@event.listens_for(Session, "after_transaction_end")
def _forget_read(session, transaction):
    # When the transaction ends however it ends (commit, rollback, close), a stamp read in it may be old.
    if transaction.parent is None:
        session.info.pop(_READ, None)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_NOTED, None)
    session.info.pop(_TOUCHED, None)
    session.info.pop(_GONE, None)
