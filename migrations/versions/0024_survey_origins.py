"""surveys: the web origins allowed to show a survey in the snippet's frame

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-06 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0024'
down_revision = '0023'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('allowed_origins', sa.Text(), nullable=False, server_default=''))


def downgrade():
    refuse_to_drop_data(settings={'survey': {'allowed_origins': ''}})
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('allowed_origins')
