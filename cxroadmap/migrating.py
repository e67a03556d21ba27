"""What migrations share: SQLite's foreign keys held off and checked, and downgrades that refuse to drop data."""

import os

import sqlalchemy as sa
from alembic import context, op
from alembic.util import CommandError

FORCE_HINT = ("Back up the database first (see the README, \"Backups and migrations\"), then run the downgrade "
              "again with -x force=yes to drop it.")


def forced() -> bool:
    """Whether the person migrating said data may be dropped (`flask db downgrade -x force=yes …`)."""
    arguments = context.get_x_argument(as_dictionary=True)
    value = arguments.get("force") or os.environ.get("CXROADMAP_MIGRATION_FORCE", "")
    return value.strip().lower() in {"1", "true", "yes"}


def refuse_to_drop_data(tables: tuple[str, ...] = (), columns: dict[str, tuple[str, ...]] | None = None,
                        settings: dict[str, dict[str, object]] | None = None) -> None:
    """Stop the downgrade, changing nothing, when the tables or columns it drops hold data, or the settings it
    drops (columns with a default, {table: {column: default}}) were set to anything else, unless forced."""
    if forced():
        return
    bind = op.get_bind()
    existing = set(sa.inspect(bind).get_table_names())
    losses = []
    for table in tables:
        if table in existing:
            rows = bind.execute(sa.text(f'SELECT COUNT(*) FROM "{table}"')).scalar_one()
            if rows:
                losses.append(f"{table} ({rows} rows)")
    for table, names in (columns or {}).items():
        if table not in existing:
            continue
        for name in names:
            values = bind.execute(sa.text(f'SELECT COUNT("{name}") FROM "{table}"')).scalar_one()
            if values:
                losses.append(f"{table}.{name} ({values} filled in)")
    for table, defaults in (settings or {}).items():
        for name, default in defaults.items():
            if table in existing:
                chosen = bind.execute(sa.text(f'SELECT COUNT(*) FROM "{table}" WHERE "{name}" <> :default'),
                                      {"default": default}).scalar_one()
                if chosen:
                    losses.append(f"{table}.{name} ({chosen} set)")
    if losses:
        raise CommandError(
            f"Downgrade refused: it would delete what is in {', '.join(losses)}. {FORCE_HINT}")


def foreign_key_violations(connection) -> list[tuple]:
    """SQLite's own list of rows whose foreign key points at nothing (empty when all hold)."""
    return [tuple(row) for row in connection.exec_driver_sql("PRAGMA foreign_key_check").all()]


# Three revisions were numbered out of their order once (0008 → 0012 → 0010 → 0009 → 0015 → 0013), and
# `flask db upgrade` printed the chain in an order that looked random. They now carry their place in the chain
# (0012 → 0009, 0009 → 0011, 0015 → 0012). A database stamped before that is told apart by what it holds, since
# two of the old numbers are new numbers too, and its stamp is rewritten before Alembic reads it.
def renumbered_stamp(stamp: str | None, tables: set[str]) -> str | None:
    """The revision a database stamped with the old numbering is at, in the new numbering (None: unchanged)."""
    if stamp == "0015":
        return "0012"
    if stamp == "0012" and "organisation_data_version" not in tables:
        return "0009"  # the old 0012 (access tokens) came before the organisations' data stamp
    if stamp == "0009" and "assessment_round" in tables:
        return "0011"  # the old 0009 (assessment rounds); the new 0009 comes before them
    return None


def renumber_old_stamp(connection) -> None:
    """Rewrite an old-numbered `alembic_version` stamp in place (see renumbered_stamp)."""
    tables = set(sa.inspect(connection).get_table_names())
    if "alembic_version" not in tables:
        return
    stamps = connection.execute(sa.text("SELECT version_num FROM alembic_version")).scalars().all()
    if len(stamps) != 1:
        return
    renumbered = renumbered_stamp(stamps[0], tables)
    if renumbered:
        connection.execute(sa.text("UPDATE alembic_version SET version_num = :new"), {"new": renumbered})
