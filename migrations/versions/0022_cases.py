"""follow-up cases: the organisation's alert rule and service level, and the cases unhappy answers open

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-06 14:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0022'
down_revision = '0021'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'case_settings',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('nps_at_most', sa.Integer(), nullable=True),
        sa.Column('csat_at_most', sa.Integer(), nullable=True),
        sa.Column('ces_at_most', sa.Integer(), nullable=True),
        sa.Column('gap_at_most', sa.Integer(), nullable=True),
        sa.Column('service_days', sa.Integer(), nullable=False),
        sa.Column('root_causes', sa.JSON(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=254), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_case_settings_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_case_settings')),
    )
    op.create_table(
        'follow_up_case',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('touchpoint_id', sa.Integer(), nullable=True),
        sa.Column('team_id', sa.Integer(), nullable=True),
        sa.Column('owner_id', sa.Integer(), nullable=True),
        sa.Column('initiative_id', sa.Integer(), nullable=True),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('source', sa.String(length=20), nullable=False),
        sa.Column('answer_id', sa.Integer(), nullable=True),
        sa.Column('survey_title', sa.String(length=200), nullable=False),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('measure', sa.String(length=10), nullable=True),
        sa.Column('score', sa.Integer(), nullable=True),
        sa.Column('expectation', sa.Integer(), nullable=True),
        sa.Column('perception', sa.Integer(), nullable=True),
        sa.Column('comment', sa.Text(), nullable=False),
        sa.Column('language', sa.String(length=5), nullable=False),
        sa.Column('contact_name', sa.String(length=200), nullable=True),
        sa.Column('contact', sa.String(length=254), nullable=True),
        sa.Column('outcome', sa.Text(), nullable=False),
        sa.Column('root_cause', sa.String(length=64), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('opened_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('followed_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('updated_by', sa.String(length=254), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['initiative_id'], ['initiative.id'],
                                name=op.f('fk_follow_up_case_initiative_id_initiative'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_follow_up_case_organisation_id_organisation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['owner_id'], ['coalition_member.id'],
                                name=op.f('fk_follow_up_case_owner_id_coalition_member'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['team_id'], ['team.id'], name=op.f('fk_follow_up_case_team_id_team'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['touchpoint_id'], ['touchpoint.id'],
                                name=op.f('fk_follow_up_case_touchpoint_id_touchpoint'), ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_up_case')),
    )
    with op.batch_alter_table('follow_up_case', schema=None) as batch_op:
        batch_op.create_index('ix_follow_up_case_open', ['organisation_id', 'status', 'due_at'], unique=False)
        for column in ('initiative_id', 'organisation_id', 'owner_id', 'team_id', 'touchpoint_id'):
            batch_op.create_index(batch_op.f(f'ix_follow_up_case_{column}'), [column], unique=False)


def downgrade():
    refuse_to_drop_data(tables=('follow_up_case', 'case_settings'))
    op.drop_table('follow_up_case')
    op.drop_table('case_settings')
