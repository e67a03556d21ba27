"""the language each user reads the product in

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 09:10:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.add_column(sa.Column('locale', sa.String(length=5), nullable=True))


def downgrade():
    refuse_to_drop_data(columns={'user_account': ('locale',)})
    with op.batch_alter_table('user_account', schema=None) as batch_op:
        batch_op.drop_column('locale')
