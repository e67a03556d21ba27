"""survey tallies: each survey's answers counted per day and score, and the indexes of its latest answers and
comments, so that pages and readings never read every answer

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-06 17:20:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0028'
down_revision = '0027'
branch_labels = None
depends_on = None

TALLIED = """
INSERT INTO survey_tally (survey_id, answered_on, score, answers, gap_answers, expectation_sum, perception_sum)
SELECT survey_id, answered_on, score, COUNT(*),
       SUM(CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL THEN 1 ELSE 0 END),
       COALESCE(SUM(CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL THEN expectation END), 0),
       COALESCE(SUM(CASE WHEN expectation IS NOT NULL AND perception IS NOT NULL THEN perception END), 0)
FROM survey_answer GROUP BY survey_id, answered_on, score
"""


def upgrade():
    op.create_table(
        'survey_tally',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('answered_on', sa.Date(), nullable=False),
        sa.Column('score', sa.Integer(), nullable=False),
        sa.Column('answers', sa.Integer(), nullable=False),
        sa.Column('gap_answers', sa.Integer(), nullable=False),
        sa.Column('expectation_sum', sa.Integer(), nullable=False),
        sa.Column('perception_sum', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_tally_survey_id_survey'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_tally')),
        sa.UniqueConstraint('survey_id', 'answered_on', 'score', name='uq_survey_tally_day_score'),
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index('ix_survey_answer_survey_moment', ['survey_id', 'answered_at'], unique=False)
        batch_op.create_index('ix_survey_answer_survey_comment_moment', ['survey_id', 'answered_at'], unique=False,
                              sqlite_where=sa.text("comment <> ''"), postgresql_where=sa.text("comment <> ''"))
    # The answers stored before: counted once, here.
    op.execute(TALLIED)


def downgrade():
    # Only what the answers say already is dropped: the tallies are counted again on the next upgrade.
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index('ix_survey_answer_survey_comment_moment')
        batch_op.drop_index('ix_survey_answer_survey_moment')
    op.drop_table('survey_tally')
