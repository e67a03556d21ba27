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
