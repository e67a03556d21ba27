"""Writing a checked cxroadmap/1 plan in bulk: a few multi-row INSERTs per table instead of one flush per row,
the values normalised as the services normalise them, and one audit event for the whole import."""

from sqlalchemy import func, select, text

from cxroadmap.audit.services import current_actor, record, summarised
from cxroadmap.exchangekit.parts import Writing
from cxroadmap.extensions import db
from cxroadmap.organisations.data_version import note_change
from cxroadmap.organisations.models import Organisation, Versioned
from cxroadmap.organisations.services import (
    create_organisation,
    delete_organisation,
    organisation_by_slug,
    set_logo,
    slug_taken,
)


def _insert(model, rows: list[dict]) -> list[int]:
    """Insert rows of the same keys in multi-row statements, returning their ids in the order given.

    Core's insert rather than the ORM's: the ORM splits rows whose None values differ into separate batches.
    """
    if not rows:
        return []
    if issubclass(model, Versioned):
        actor = current_actor().label[:254]
        for row in rows:
            row["updated_by"] = actor
    table = model.__table__
    if db.session.get_bind().dialect.name == "sqlite":
        # SQLite cannot promise RETURNING in the order given, so SQLAlchemy would insert row by row. This
        # transaction has written already (the organisation) and so holds SQLite's one write lock: the ids
        # after the largest stay free until it commits.
        start = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        ids = list(range(start, start + len(rows)))
        db.session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
        return ids
    # PostgreSQL: the ids from the table's own sequence in one query, then the rows as one executemany (psycopg
    # sends it as a pipeline of one short statement); multi-row INSERT … RETURNING statements were three times
    # slower, most of it psycopg reading their long text again for every batch.
    ids = sorted(db.session.scalars(text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) "
                                         "FROM generate_series(1, :count)"), {"table": table.name, "count": len(rows)}))
    db.session.execute(table.insert(), [{**row, "id": i} for row, i in zip(rows, ids, strict=True)])
    return ids


def _link(table, rows: list[dict]) -> None:
    if rows:
        db.session.execute(table.insert(), rows)


def write_plan(plan) -> Organisation:
    """Write a checked plan, replacing an organisation of the same slug; flushes, never commits.

    Refusals found only now (a dependency loop, a realised amount in the future …) raise DomainError; the
    caller rolls back, so nothing is half-written.
    """
    values = plan.organisation
    replaced = slug_taken(values["slug"])
    with summarised():
        if replaced:
            delete_organisation(organisation_by_slug(values["slug"]))
        organisation = create_organisation(**values)
        if plan.logo:
            set_logo(organisation, plan.logo)
        counts = write_contents(organisation, plan)
    counts["replaced"] = replaced
    record("import", organisation, object_type="Organisation", object_id=organisation.id,
           object_label=organisation.name, changes=counts)
    return organisation


def write_contents(organisation: Organisation, plan) -> dict:
    """Write everything of a checked plan but the organisation's own settings into organisation, in bulk and
    leaving no event per row (the caller records one); how many of what it wrote."""
    note_change(organisation.id)  # the rows below go round the flush that would note it
    with summarised():
        counts = {}
        writing = Writing(_insert, _link)
        for part, checked in plan.parts.items():  # in the document's order: each names only those before it
            counts.update(part.write(organisation, checked, writing))
        db.session.flush()  # within the block: what the services changed is in the one event too
    return counts
