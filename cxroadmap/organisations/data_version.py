"""The organisation's data version: changed by every committed write of its data, read before reusing figures.

Any flush of a row that belongs to an organisation notes the organisation; the commit then gives it a new stamp, in
the same transaction as the change. A model finds its organisation once, where it is declared: its own
`organisation_id` (`OrganisationOwned`), or `__organisation_path__`, the relationship to the row it belongs to (a
status update's `initiative`), which finds its own in turn. `tests/organisations/test_data_version.py` walks every
mapped table and fails when one that hangs off an organisation declares no way to it. Bulk writes that go round
the session's flush (an import) say so with `note_change`. The signal lives in the database, so every process and
worker sees it.
"""

from collections.abc import Callable
from functools import cache
from typing import Any
from uuid import uuid4

from sqlalchemy import bindparam, event, insert, literal, select, update
from sqlalchemy.orm import Session

from cxroadmap.extensions import db
from cxroadmap.kept import Kept
from cxroadmap.organisations.models import DataVersion, Organisation

_NOTED = "cxroadmap_changed_organisations"
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


def note_change(organisation_id: int, session: Session | None = None) -> None:
    """Say that the organisation's data changed in this transaction (for writes that bypass the flush)."""
    (session or db.session()).info.setdefault(_NOTED, set()).add(organisation_id)


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


def kept_for_version(kept: Kept, organisation: Organisation, key: tuple, make: Callable[[], Any]) -> Any:
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
    for objects in (session.new, session.dirty, session.deleted):
        for obj in objects:
            if obj in session.dirty and not session.is_modified(obj):
                continue
            organisation_id = organisation_id_of(obj)
            if organisation_id is not None:
                note_change(organisation_id, session)


@event.listens_for(Session, "before_commit")
def _stamp_changed(session):
    # Flushed here (the commit would flush next) so that its changes are noted too; the stamp is written
    # last, so a writer holds the stamp's row lock only for the moment before it commits.
    session.flush()
    for organisation_id in sorted(session.info.pop(_NOTED, ())):
        stamp = uuid4().hex
        done = session.execute(update(DataVersion).where(DataVersion.organisation_id == organisation_id)
                               .values(stamp=stamp))
        if done.rowcount == 0:  # the first write since stamps began (or the organisation was just deleted)
            session.execute(insert(DataVersion).from_select(
                ["organisation_id", "stamp"],
                select(Organisation.id, literal(stamp)).where(Organisation.id == organisation_id)))


@event.listens_for(Session, "after_transaction_end")
def _forget_read(session, transaction):
    # When the transaction ends however it ends (commit, rollback, close), a stamp read in it may be old.
    if transaction.parent is None:
        session.info.pop(_READ, None)


@event.listens_for(Session, "after_rollback")
def _forget(session):
    session.info.pop(_NOTED, None)
