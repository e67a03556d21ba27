"""KPIs of O-data and X-data: readings, kept survey comments, the initiatives meant to move them

Existing organisations do not keep survey comments until they say so.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23 23:06:17.957413

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data

import cxroadmap.database


# revision identifiers, used by Alembic.
revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('kpi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=10), nullable=False),
    sa.Column('measure', sa.String(length=20), nullable=False),
    sa.Column('unit', sa.String(length=30), nullable=False),
    sa.Column('direction', sa.String(length=4), nullable=False),
    sa.Column('baseline_value', cxroadmap.database.ExactDecimal(precision=16, scale=4), nullable=False),
    sa.Column('baseline_on', sa.Date(), nullable=False),
    sa.Column('target_value', cxroadmap.database.ExactDecimal(precision=16, scale=4), nullable=False),
    sa.Column('target_on', sa.Date(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('touchpoint_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('updated_by', sa.String(length=254), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("direction IN ('up', 'down')", name=op.f('ck_kpi_direction_known')),
    sa.CheckConstraint("kind IN ('o_data', 'x_data')", name=op.f('ck_kpi_kind_known')),
    sa.CheckConstraint("measure IN ('nps', 'csat', 'ces', 'percentage', 'count', 'amount', 'days', 'score')", name=op.f('ck_kpi_measure_known')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_kpi_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['coalition_member.id'], name=op.f('fk_kpi_owner_id_coalition_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoint.id'], name=op.f('fk_kpi_touchpoint_id_touchpoint'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi')),
    sa.UniqueConstraint('organisation_id', 'code', name='uq_kpi_code')
    )
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_owner_id'), ['owner_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_kpi_touchpoint_id'), ['touchpoint_id'], unique=False)

    op.create_table('initiative_kpi',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('expected_change', cxroadmap.database.ExactDecimal(precision=16, scale=4), nullable=True),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_initiative_kpi_initiative_id_initiative'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_initiative_kpi_kpi_id_kpi'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative_kpi')),
    sa.UniqueConstraint('initiative_id', 'kpi_id', name='uq_initiative_kpi_pair')
    )
    with op.batch_alter_table('initiative_kpi', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_kpi_initiative_id'), ['initiative_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_kpi_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('kpi_reading',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kpi_id', sa.Integer(), nullable=False),
    sa.Column('taken_on', sa.Date(), nullable=False),
    sa.Column('value', cxroadmap.database.ExactDecimal(precision=16, scale=4), nullable=False),
    sa.Column('respondents', sa.Integer(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_by', sa.String(length=254), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint('respondents IS NULL OR respondents >= 0', name=op.f('ck_kpi_reading_respondents_not_negative')),
    sa.ForeignKeyConstraint(['kpi_id'], ['kpi.id'], name=op.f('fk_kpi_reading_kpi_id_kpi'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_kpi_reading')),
    sa.UniqueConstraint('kpi_id', 'taken_on', name='uq_kpi_reading_day')
    )
    with op.batch_alter_table('kpi_reading', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_kpi_reading_kpi_id'), ['kpi_id'], unique=False)

    op.create_table('survey_comment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reading_id', sa.Integer(), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('answered_on', sa.Date(), nullable=True),
    sa.Column('touchpoint', sa.String(length=200), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['reading_id'], ['kpi_reading.id'], name=op.f('fk_survey_comment_reading_id_kpi_reading'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_comment'))
    )
    with op.batch_alter_table('survey_comment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_comment_reading_id'), ['reading_id'], unique=False)

    # Not in a batch: on SQLite a batch would copy the organisation table, and dropping the old copy with
    # foreign keys on would cascade to every row that belongs to an organisation.
    op.add_column('organisation', sa.Column('keep_survey_comments', sa.Boolean(), nullable=False,
                                            server_default=sa.false()))



def downgrade():
    # keep_survey_comments is a setting with a default, not data: only the tables are asked about.
    refuse_to_drop_data(tables=('survey_comment', 'kpi_reading', 'initiative_kpi', 'kpi'))
    op.drop_column('organisation', 'keep_survey_comments')

    with op.batch_alter_table('survey_comment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_comment_reading_id'))

    op.drop_table('survey_comment')
    with op.batch_alter_table('kpi_reading', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_reading_kpi_id'))

    op.drop_table('kpi_reading')
    with op.batch_alter_table('initiative_kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_kpi_kpi_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_kpi_initiative_id'))

    op.drop_table('initiative_kpi')
    with op.batch_alter_table('kpi', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_kpi_touchpoint_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_owner_id'))
        batch_op.drop_index(batch_op.f('ix_kpi_organisation_id'))

    op.drop_table('kpi')
