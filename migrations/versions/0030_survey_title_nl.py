"""survey title in Dutch: the title Dutch-speaking customers read on the answer page, the thanks page and the
invitation mail (empty: they read the English title, as before)

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-06 20:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0030'
down_revision = '0029'
branch_labels = None
depends_on = None


def upgrade():
    # Every survey made before has no Dutch title: its customers go on reading the English one.
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.add_column(sa.Column('title_nl', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    # The Dutch titles typed would be lost: refused while any survey has one, unless forced.
    refuse_to_drop_data(settings={'survey': {'title_nl': ''}})
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_column('title_nl')
