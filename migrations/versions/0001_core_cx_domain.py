"""the core CX domain

Revision ID: 0001
Revises: 
Create Date: 2026-11-23 16:43:09.113871

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data

import cxroadmap.database


# revision identifiers, used by Alembic.
revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('organisation',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('slug', sa.String(length=64), nullable=False),
    sa.Column('brand_promise', sa.Text(), nullable=False),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.Column('discount_rate', cxroadmap.database.ExactDecimal(precision=7, scale=4), nullable=False),
    sa.Column('target_stage', sa.String(length=20), nullable=True),
    sa.Column('target_date', sa.Date(), nullable=True),
    sa.Column('locale', sa.String(length=5), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation')),
    sa.UniqueConstraint('slug', name=op.f('uq_organisation_slug'))
    )
    op.create_table('coalition_member',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('function', sa.String(length=100), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('coalition_role', sa.String(length=20), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_coalition_member_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_coalition_member')),
    sa.UniqueConstraint('organisation_id', 'email', name='uq_coalition_member_email')
    )
    with op.batch_alter_table('coalition_member', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_coalition_member_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('readiness_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('question', sa.String(length=30), nullable=False),
    sa.Column('score', sa.Integer(), nullable=False),
    sa.Column('evidence', sa.Text(), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("question IN ('know_customers', 'know_experience', 'know_roles')", name=op.f('ck_readiness_assessment_question_known')),
    sa.CheckConstraint('score BETWEEN 0 AND 4', name=op.f('ck_readiness_assessment_score_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_readiness_assessment_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_readiness_assessment'))
    )
    with op.batch_alter_table('readiness_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_readiness_assessment_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('stage_assessment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=20), nullable=False),
    sa.Column('assessed_on', sa.Date(), nullable=False),
    sa.Column('assessed_by', sa.String(length=200), nullable=False),
    sa.Column('rationale', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("stage IN ('ignore', 'explore', 'mobilise', 'operationalise', 'align', 'embed')", name=op.f('ck_stage_assessment_stage_known')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_stage_assessment_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stage_assessment'))
    )
    with op.batch_alter_table('stage_assessment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stage_assessment_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('team',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('function', sa.String(length=100), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_team_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team')),
    sa.UniqueConstraint('organisation_id', 'name', name='uq_team_name')
    )
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('initiative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ref', sa.String(length=32), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('readiness_question', sa.String(length=30), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('health', sa.String(length=10), nullable=False),
    sa.Column('progress', sa.Integer(), nullable=False),
    sa.Column('start_date', sa.Date(), nullable=True),
    sa.Column('due_date', sa.Date(), nullable=True),
    sa.Column('target_stage', sa.String(length=20), nullable=True),
    sa.Column('one_off_cost', cxroadmap.database.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('annual_running_cost', cxroadmap.database.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('archived', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.CheckConstraint("health IN ('green', 'amber', 'red')", name=op.f('ck_initiative_health_known')),
    sa.CheckConstraint("readiness_question IN ('know_customers', 'know_experience', 'know_roles')", name=op.f('ck_initiative_question_known')),
    sa.CheckConstraint("status IN ('proposed', 'approved', 'in_progress', 'on_hold', 'done', 'cancelled')", name=op.f('ck_initiative_status_known')),
    sa.CheckConstraint('progress BETWEEN 0 AND 100', name=op.f('ck_initiative_progress_range')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_initiative_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['owner_id'], ['coalition_member.id'], name=op.f('fk_initiative_owner_id_coalition_member'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_initiative')),
    sa.UniqueConstraint('organisation_id', 'ref', name='uq_initiative_ref')
    )
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_initiative_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_initiative_owner_id'), ['owner_id'], unique=False)

    op.create_table('role_statement',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('team_id', sa.Integer(), nullable=False),
    sa.Column('statement', sa.Text(), nullable=False),
    sa.Column('touchpoints', sa.JSON(), nullable=False),
    sa.Column('logged_on', sa.Date(), nullable=False),
    sa.Column('logged_by', sa.String(length=200), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_role_statement_team_id_team'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_role_statement'))
    )
    with op.batch_alter_table('role_statement', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_role_statement_team_id'), ['team_id'], unique=False)

    op.create_table('benefit_estimate',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('initiative_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=30), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('volume', cxroadmap.database.ExactDecimal(precision=16, scale=4), nullable=True),
    sa.Column('rate', cxroadmap.database.ExactDecimal(precision=10, scale=6), nullable=True),
    sa.Column('unit_value', cxroadmap.database.ExactDecimal(precision=14, scale=2), nullable=True),
    sa.Column('annual_amount', cxroadmap.database.ExactDecimal(precision=14, scale=2), nullable=False),
    sa.Column('confidence', cxroadmap.database.ExactDecimal(precision=5, scale=4), nullable=False),
    sa.Column('starts_on', sa.Date(), nullable=True),
    sa.Column('ramp_months', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.CheckConstraint("kind IN ('revenue_retention', 'revenue_sales', 'cost_reduction')", name=op.f('ck_benefit_estimate_kind_known')),
    sa.CheckConstraint('ramp_months >= 0', name=op.f('ck_benefit_estimate_ramp_not_negative')),
    sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'], name=op.f('fk_benefit_estimate_initiative_id_initiative'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_benefit_estimate'))
    )
    with op.batch_alter_table('benefit_estimate', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_benefit_estimate_initiative_id'), ['initiative_id'], unique=False)



def downgrade():
    refuse_to_drop_data(tables=('benefit_estimate', 'role_statement', 'initiative', 'team', 'stage_assessment',
                                'readiness_assessment', 'coalition_member', 'organisation'))
    with op.batch_alter_table('benefit_estimate', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_benefit_estimate_initiative_id'))

    op.drop_table('benefit_estimate')
    with op.batch_alter_table('role_statement', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_role_statement_team_id'))

    op.drop_table('role_statement')
    with op.batch_alter_table('initiative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_initiative_owner_id'))
        batch_op.drop_index(batch_op.f('ix_initiative_organisation_id'))

    op.drop_table('initiative')
    with op.batch_alter_table('team', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_organisation_id'))

    op.drop_table('team')
    with op.batch_alter_table('stage_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_stage_assessment_organisation_id'))

    op.drop_table('stage_assessment')
    with op.batch_alter_table('readiness_assessment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_readiness_assessment_organisation_id'))

    op.drop_table('readiness_assessment')
    with op.batch_alter_table('coalition_member', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_coalition_member_organisation_id'))

    op.drop_table('coalition_member')
    op.drop_table('organisation')
