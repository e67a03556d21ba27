"""comment themes: the organisation's themes, each with English and Dutch names and keywords

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-06 17:20:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0025'
down_revision = '0024'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'survey_theme',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name_en', sa.String(length=80), nullable=False),
        sa.Column('name_nl', sa.String(length=80), nullable=False),
        sa.Column('keywords_en', sa.JSON(), nullable=False),
        sa.Column('keywords_nl', sa.JSON(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_survey_theme_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_survey_theme')),
        sa.UniqueConstraint('organisation_id', 'name_en', name='uq_survey_theme_name_en'),
    )
    with op.batch_alter_table('survey_theme', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_survey_theme_organisation_id'), ['organisation_id'], unique=False)


def downgrade():
    refuse_to_drop_data(tables=('survey_theme',))
    with op.batch_alter_table('survey_theme', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_survey_theme_organisation_id'))
    op.drop_table('survey_theme')
