"""what each write of an organisation's data touched, so that kept figures are worked out again only for that

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-06 17:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0027'
down_revision = '0026'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'organisation_data_change',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=True),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_organisation_data_change_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_organisation_data_change')),
    )
    op.create_index('ix_organisation_data_change_organisation_id', 'organisation_data_change',
                    ['organisation_id', 'id'], unique=False)


def downgrade():
    # A log of what writes touched, worked out again from nothing: dropping it loses no data.
    op.drop_index('ix_organisation_data_change_organisation_id', table_name='organisation_data_change')
    op.drop_table('organisation_data_change')
