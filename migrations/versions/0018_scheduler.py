"""the scheduler: its lease and the last run of each timed work; the organisation's time zone and digest hour

Revision ID: 0018
Revises: 0017
Create Date: 2026-11-25 09:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0018'
down_revision = '0017'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'scheduler_lease',
        sa.Column('name', sa.String(length=40), nullable=False),
        sa.Column('holder', sa.String(length=200), nullable=False),
        sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('beat_at', sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_lease')),
    )
    op.create_table(
        'scheduled_run',
        sa.Column('name', sa.String(length=60), nullable=False),
        sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('count', sa.Integer(), nullable=False),
        sa.Column('error', sa.String(length=300), nullable=False),
        sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduled_run')),
    )
    # Existing organisations keep reasoning in UTC, as they did; new ones choose.
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.add_column(sa.Column('time_zone', sa.String(length=64), nullable=False, server_default='UTC'))
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('digest_hour', sa.Integer(), nullable=False, server_default='7'))


def downgrade():
    # The lease and the runs are the scheduler's working state, nobody's data; the settings are asked about.
    refuse_to_drop_data(settings={'organisation': {'time_zone': 'UTC'}, 'notification_settings': {'digest_hour': 7}})
    with op.batch_alter_table('notification_settings', schema=None) as batch_op:
        batch_op.drop_column('digest_hour')
    with op.batch_alter_table('organisation', schema=None) as batch_op:
        batch_op.drop_column('time_zone')
    op.drop_table('scheduled_run')
    op.drop_table('scheduler_lease')
