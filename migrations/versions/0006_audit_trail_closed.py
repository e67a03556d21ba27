"""the audit trail cannot be replaced row by row (SQLite) or emptied at once (PostgreSQL)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:20:00

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None


# INSERT OR REPLACE deletes the row it collides with without firing the delete trigger: refuse the insert.
NO_REPLACE_SQLITE = (
    "CREATE TRIGGER audit_event_no_replace BEFORE INSERT ON audit_event "
    "WHEN NEW.id IS NOT NULL AND EXISTS (SELECT 1 FROM audit_event WHERE id = NEW.id) "
    "BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only'); END")
# TRUNCATE fires no row trigger: a statement trigger of its own, and the privileges taken from the app's role
# (an owner may revoke its own; a superuser passes anyway, see the README).
NO_TRUNCATE_POSTGRESQL = [
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM PUBLIC",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM CURRENT_USER",
]


def upgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute(NO_REPLACE_SQLITE)
    elif dialect == "postgresql":
        for statement in NO_TRUNCATE_POSTGRESQL:
            op.execute(statement)


def downgrade():
    dialect = op.get_bind().dialect.name
    if dialect == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_replace")
    elif dialect == "postgresql":
        op.execute("GRANT UPDATE, DELETE, TRUNCATE ON audit_event TO CURRENT_USER")
        op.execute("DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event")
