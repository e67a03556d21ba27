"""organisation data versions: a stamp each write of an organisation's data changes

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-24 02:20:00

"""
from uuid import uuid4

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0012'
down_revision = '0011'
branch_labels = None
depends_on = None


def upgrade():
    version = op.create_table(
        'organisation_data_version',
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.Column('stamp', sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'],
                                name=op.f('fk_organisation_data_version_organisation_id_organisation'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_organisation_data_version')),
    )
    organisations = op.get_bind().execute(sa.text("SELECT id FROM organisation")).scalars().all()
    if organisations:
        op.bulk_insert(version, [{"organisation_id": id_, "stamp": uuid4().hex} for id_ in organisations])


def downgrade():
    # Only stamps: nothing anyone typed is lost, and the figures they guard are worked out again from the data.
    op.drop_table('organisation_data_version')
