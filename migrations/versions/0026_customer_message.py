"""customer message: the organisation's choice to tell a customer their case is resolved, its template per language,
and when each case's message was sent

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-06 17:30:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0026'
down_revision = '0025'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('case_settings', schema=None) as batch_op:
        batch_op.add_column(sa.Column('tells_customer', sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.add_column(sa.Column('customer_message_en', sa.Text(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('customer_message_nl', sa.Text(), nullable=False, server_default=''))
    with op.batch_alter_table('follow_up_case', schema=None) as batch_op:
        batch_op.add_column(sa.Column('customer_told_at', sa.DateTime(timezone=True), nullable=True))


def downgrade():
    refuse_to_drop_data(columns={'follow_up_case': ('customer_told_at',)},
                        settings={'case_settings': {'tells_customer': False, 'customer_message_en': '',
                                                  'customer_message_nl': ''}})
    with op.batch_alter_table('follow_up_case', schema=None) as batch_op:
        batch_op.drop_column('customer_told_at')
    with op.batch_alter_table('case_settings', schema=None) as batch_op:
        batch_op.drop_column('customer_message_nl')
        batch_op.drop_column('customer_message_en')
        batch_op.drop_column('tells_customer')
