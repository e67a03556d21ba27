"""survey answers settled: an answer taken through a public link is stored at once and settled just after (its
daily count, the KPI's reading, the touchpoint's scores, the follow-up case), in batches, by background work

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-06 19:55:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0029'
down_revision = '0028'
branch_labels = None
depends_on = None


def upgrade():
    # Every answer stored before was settled when it was stored.
    op.add_column('survey_answer', sa.Column('settled', sa.Boolean(), nullable=False, server_default=sa.true()))
    op.create_index('ix_survey_answer_unsettled', 'survey_answer', ['id'], unique=False,
                    sqlite_where=sa.text("NOT settled"), postgresql_where=sa.text("NOT settled"))


def downgrade():
    # Answers not yet settled would never be counted by the code before this revision: settle them first (the
    # scheduler does within seconds), or force.
    refuse_to_drop_data(settings={'survey_answer': {'settled': True}})
    op.drop_index('ix_survey_answer_unsettled', table_name='survey_answer')
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_column('settled')
