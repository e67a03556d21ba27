"""single sign-on: identity providers, group roles, linked identities, organisations requiring it

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 14:10:33.359347

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0020'
down_revision = '0019'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('identity_provider',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('issuer', sa.String(length=300), nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('client_id', sa.String(length=300), nullable=False),
    sa.Column('client_secret', sa.String(length=500), nullable=False),
    sa.Column('scopes', sa.String(length=300), nullable=False),
    sa.Column('domains', sa.JSON(), nullable=False),
    sa.Column('groups_claim', sa.String(length=100), nullable=False),
    sa.Column('creates_accounts', sa.Boolean(), nullable=False),
    sa.Column('scim_token_hash', sa.String(length=64), nullable=True),
    sa.Column('scim_token_prefix', sa.String(length=12), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_identity_provider')),
    sa.UniqueConstraint('issuer', name=op.f('uq_identity_provider_issuer')),
    sa.UniqueConstraint('scim_token_hash', name=op.f('uq_identity_provider_scim_token_hash'))
    )
    op.create_table('linked_identity',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('subject', sa.String(length=255), nullable=True),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('external_id', sa.String(length=255), nullable=True),
    sa.Column('groups', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('last_sign_in_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_provider.id'], name=op.f('fk_linked_identity_provider_id_identity_provider'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_linked_identity_user_id_user_account'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_linked_identity')),
    sa.UniqueConstraint('provider_id', 'subject', name='uq_linked_identity_subject')
    )
    with op.batch_alter_table('linked_identity', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_linked_identity_provider_id'), ['provider_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_linked_identity_user_id'), ['user_id'], unique=False)

    op.create_table('sso_group_mapping',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('provider_id', sa.Integer(), nullable=False),
    sa.Column('group', sa.String(length=200), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=20), nullable=False),
    sa.CheckConstraint("role IN ('viewer', 'contributor', 'steering', 'admin')", name=op.f('ck_sso_group_mapping_role_known')),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sso_group_mapping_organisation_id_organisation'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['provider_id'], ['identity_provider.id'], name=op.f('fk_sso_group_mapping_provider_id_identity_provider'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sso_group_mapping')),
    sa.UniqueConstraint('provider_id', 'group', 'organisation_id', name='uq_sso_group_mapping')
    )
    with op.batch_alter_table('sso_group_mapping', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sso_group_mapping_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_sso_group_mapping_provider_id'), ['provider_id'], unique=False)

    op.create_table('sso_requirement',
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_sso_requirement_organisation_id_organisation'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('organisation_id', name=op.f('pk_sso_requirement'))
    )


def downgrade():
    refuse_to_drop_data(tables=('identity_provider', 'linked_identity', 'sso_group_mapping', 'sso_requirement'))
    op.drop_table('sso_requirement')
    with op.batch_alter_table('sso_group_mapping', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sso_group_mapping_provider_id'))
        batch_op.drop_index(batch_op.f('ix_sso_group_mapping_organisation_id'))

    op.drop_table('sso_group_mapping')
    with op.batch_alter_table('linked_identity', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_linked_identity_user_id'))
        batch_op.drop_index(batch_op.f('ix_linked_identity_provider_id'))

    op.drop_table('linked_identity')
    op.drop_table('identity_provider')
