"""surveys: the questions asked at a touchpoint (in versions), the answers customers gave, the retention period

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 14:06:40

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0021'
down_revision = '0020'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('survey_privacy',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('retention_months', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint('retention_months >= 1', name=op.f('ck_survey_privacy_retention_positive')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_survey_privacy_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_privacy')),
    sa.UniqueConstraint('organisation_id', name='uq_survey_privacy_organisation')
    )
    with op.batch_alter_table('survey_privacy', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_privacy_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('survey',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=16), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('touchpoint_id', sa.Integer(), nullable=True),
    sa.Column('measure', sa.String(length=4), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=True),
    sa.Column('period', sa.String(length=5), nullable=False),
    sa.Column('state', sa.String(length=6), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("measure IN ('nps', 'csat', 'ces')", name=op.f('ck_survey_measure_known')),
    sa.CheckConstraint("period IN ('day', 'week', 'month')", name=op.f('ck_survey_period_known')),
    sa.CheckConstraint("state IN ('draft', 'live', 'closed')", name=op.f('ck_survey_state_known')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_survey_kpi_id_kpi'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_survey_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoint.id'], name=op.f('fk_survey_touchpoint_id_touchpoint'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey')),
    sa.UniqueConstraint('code', name=op.f('uq_survey_code'))
    )
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_kpi_id'), ['kpi_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_touchpoint_id'), ['touchpoint_id'], unique=False)

    op.create_table('survey_version',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('number', sa.Integer(), nullable=False),
    sa.Column('texts', sa.JSON(), nullable=False),
    sa.Column('asks_gap', sa.Boolean(), nullable=False),
    sa.Column('rated', sa.JSON(), nullable=False),
    sa.Column('asks_contact', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_version_survey_id_survey'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_version')),
    sa.UniqueConstraint('survey_id', 'number', name='uq_survey_version_number')
    )
    with op.batch_alter_table('survey_version', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_version_survey_id'), ['survey_id'], unique=False)

    op.create_table('survey_answer',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('survey_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('expectation', sa.Integer(), nullable=True),
    sa.Column('perception', sa.Integer(), nullable=True),
    sa.Column('ratings', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('language', sa.String(length=2), nullable=False),
    sa.Column('hidden', sa.JSON(), nullable=False),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=254), nullable=True),
    sa.Column('contact_phone', sa.String(length=40), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_survey_answer_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_answer_survey_id_survey'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['survey_version.id'], name=op.f('fk_survey_answer_version_id_survey_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_answer'))
    )
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_answer_contact_email'), ['contact_email'], unique=False)
        batch_op.create_index('ix_survey_answer_organisation_day', ['organisation_id', 'answered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answer_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index('ix_survey_answer_survey_day', ['survey_id', 'answered_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_answer_version_id'), ['version_id'], unique=False)



def downgrade():
    refuse_to_drop_data(tables=('survey_answer', 'survey_version', 'survey', 'survey_privacy'))
    with op.batch_alter_table('survey_answer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_answer_version_id'))
        batch_op.drop_index('ix_survey_answer_survey_day')
        batch_op.drop_index(batch_op.f('ix_survey_answer_organisation_id'))
        batch_op.drop_index('ix_survey_answer_organisation_day')
        batch_op.drop_index(batch_op.f('ix_survey_answer_contact_email'))

    op.drop_table('survey_answer')
    with op.batch_alter_table('survey_version', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_version_survey_id'))

    op.drop_table('survey_version')
    with op.batch_alter_table('survey', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_touchpoint_id'))
        batch_op.drop_index(batch_op.f('ix_survey_organisation_id'))
        batch_op.drop_index(batch_op.f('ix_survey_kpi_id'))

    op.drop_table('survey')
    with op.batch_alter_table('survey_privacy', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_privacy_organisation_id'))

    op.drop_table('survey_privacy')
