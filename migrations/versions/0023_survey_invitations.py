"""survey invitations: each contact's personal link, a survey's reminder and delay, the suppression list, and the
organisation's quiet period beside its retention period

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-06 17:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0023'
down_revision = '0022'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('survey_privacy', schema=None) as batch_op:
        batch_op.add_column(sa.Column('quiet_days', sa.Integer(), server_default='30', nullable=False))
        batch_op.create_check_constraint(batch_op.f('ck_survey_privacy_quiet_days_not_negative'), 'quiet_days >= 0')
    op.create_table(
        'survey_inviting',
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('reminder_days', sa.Integer(), nullable=False),
        sa.Column('delay_minutes', sa.Integer(), nullable=False),
        sa.CheckConstraint('reminder_days >= 1 AND reminder_days <= 60', name=op.f('ck_survey_inviting_reminder_days_range')),
        sa.CheckConstraint('delay_minutes >= 0 AND delay_minutes <= 20160', name=op.f('ck_survey_inviting_delay_minutes_range')),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_inviting_survey_id_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('survey_id', name=op.f('pk_survey_inviting')),
    )
    op.create_table(
        'survey_suppression',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_survey_suppression_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_suppression')),
        sa.UniqueConstraint('organisation_id', 'email', name='uq_survey_suppression_email'),
    )
    with op.batch_alter_table('survey_suppression', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_suppression_organisation_id'), ['organisation_id'], unique=False)
    op.create_table(
        'survey_invitation',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('survey_id', sa.Integer(), nullable=False),
        sa.Column('token', sa.String(length=43), nullable=False),
        sa.Column('email', sa.String(length=254), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('language', sa.String(length=2), nullable=False),
        sa.Column('hidden', sa.JSON(), nullable=False),
        sa.Column('source', sa.String(length=6), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('due_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('reminded_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('answer_id', sa.Integer(), nullable=True),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.CheckConstraint("state IN ('queued', 'sent', 'quiet', 'suppressed')", name=op.f('ck_survey_invitation_state_known')),
        sa.CheckConstraint("source IN ('upload', 'api')", name=op.f('ck_survey_invitation_source_known')),
        sa.ForeignKeyConstraint(['answer_id'], ['survey_answer.id'], name=op.f('fk_survey_invitation_answer_id_survey_answer'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_survey_invitation_organisation_id_organisation'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['survey_id'], ['survey.id'], name=op.f('fk_survey_invitation_survey_id_survey'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_invitation')),
        sa.UniqueConstraint('token', name=op.f('uq_survey_invitation_token')),
    )
    with op.batch_alter_table('survey_invitation', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_invitation_answer_id'), ['answer_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_survey_invitation_survey_id'), ['survey_id'], unique=False)
        batch_op.create_index('ix_survey_invitation_due', ['state', 'due_at'], unique=False)
        batch_op.create_index('ix_survey_invitation_organisation_email', ['organisation_id', 'email'], unique=False)


def downgrade():
    refuse_to_drop_data(tables=('survey_invitation', 'survey_suppression', 'survey_inviting'),
                        settings={'survey_privacy': {'quiet_days': 30}})
    op.drop_table('survey_invitation')
    op.drop_table('survey_suppression')
    op.drop_table('survey_inviting')
    with op.batch_alter_table('survey_privacy', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('ck_survey_privacy_quiet_days_not_negative'), type_='check')
        batch_op.drop_column('quiet_days')
