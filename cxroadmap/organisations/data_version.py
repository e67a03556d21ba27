"""The organisation's data version: changed by every committed write of its data, read before reusing figures.

Any flush of a row that belongs to an organisation (directly, or through its initiative, team, meeting …) notes
the organisation; the commit then gives it a new stamp, in the same transaction as the change. Bulk writes that
go round the session's flush (an import) say so with `note_change`. The signal lives in the database, so every
process and worker sees it.
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
# Where a row without an organisation of its own finds one: the parents, in the order they are tried.
PARENTS = ("team", "initiative", "meeting", "benefit", "touchpoint", "kpi", "reading")


def organisation_id_of(obj) -> int | None:
    """The organisation a row belongs to, found through its parents where it has no column of its own."""
    if isinstance(obj, Organisation):
        return obj.id
    if getattr(obj, "organisation_id", None) is not None:
        return obj.organisation_id
    for parent in PARENTS:
        related = getattr(obj, parent, None)
        if related is not None:
            return organisation_id_of(related)
    return None


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
