"""queued mail: what requests ask to be sent, made and sent by the background work

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 12:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0017'
down_revision = '0016'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('queued_mail',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('parameters', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_error', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_queued_mail'))
    )
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_queued_mail_due_at'), ['due_at'], unique=False)


def downgrade():
    refuse_to_drop_data(tables=('queued_mail',))
    with op.batch_alter_table('queued_mail', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_queued_mail_due_at'))
    op.drop_table('queued_mail')
