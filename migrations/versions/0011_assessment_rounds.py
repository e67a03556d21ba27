"""assessment rounds: rounds, their raters (links kept only as hashes) and the raters' answers

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-23 23:04:18.904650

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('assessment_round',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('opened_on', sa.Date(), nullable=False),
    sa.Column('closes_on', sa.Date(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=True),
    sa.Column('opened_by', sa.String(length=254), nullable=False),
    sa.Column('confirmed_on', sa.Date(), nullable=True),
    sa.Column('confirmed_by', sa.String(length=254), nullable=False),
    sa.Column('confirmed_stage', sa.String(length=20), nullable=True),
    sa.Column('confirmed_scores', sa.JSON(), nullable=False),
    sa.Column('overrule_reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_assessment_round_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_round'))
    )
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_round_organisation_id'), ['organisation_id'], unique=False)

    op.create_table('assessment_rater',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('round_id', sa.Integer(), nullable=False),
    sa.Column('member_id', sa.Integer(), nullable=True),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('function', sa.String(length=100), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('token_salt', sa.String(length=64), nullable=False),
    sa.Column('language', sa.String(length=5), nullable=True),
    sa.Column('invited_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['member_id'], ['coalition_member.id'], name=op.f('fk_assessment_rater_member_id_coalition_member'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_assessment_rater_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['round_id'], ['assessment_round.id'], name=op.f('fk_assessment_rater_round_id_assessment_round'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_rater')),
    sa.UniqueConstraint('round_id', 'email', name='uq_assessment_rater_email'),
    sa.UniqueConstraint('token_hash', name=op.f('uq_assessment_rater_token_hash'))
    )
    with op.batch_alter_table('assessment_rater', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_assessment_rater_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_assessment_rater_round_id'), ['round_id'], unique=False)

    op.create_table('assessment_response',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('rater_id', sa.Integer(), nullable=False),
    sa.Column('answers', sa.JSON(), nullable=False),
    sa.Column('comment', sa.Text(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['rater_id'], ['assessment_rater.id'], name=op.f('fk_assessment_response_rater_id_assessment_rater'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_assessment_response')),
    sa.UniqueConstraint('rater_id', name=op.f('uq_assessment_response_rater_id'))
    )


def downgrade():
    refuse_to_drop_data(tables=('assessment_response', 'assessment_rater', 'assessment_round'))
    op.drop_table('assessment_response')
    with op.batch_alter_table('assessment_rater', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_rater_round_id'))
        batch_op.drop_index(batch_op.f('ix_assessment_rater_organisation_id'))

    op.drop_table('assessment_rater')
    with op.batch_alter_table('assessment_round', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_assessment_round_organisation_id'))

    op.drop_table('assessment_round')
