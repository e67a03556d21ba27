"""calendars and chat: each person's calendar subscription; Slack and Teams channels and their messages

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 14:00:00

"""
from alembic import op
import sqlalchemy as sa

from cxroadmap.migrating import refuse_to_drop_data


# revision identifiers, used by Alembic.
revision = '0019'
down_revision = '0018'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_feed',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('nonce', sa.String(length=64), nullable=False),
        sa.Column('secret_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['user_account.id'], name=op.f('fk_calendar_feed_user_id_user_account'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
        sa.UniqueConstraint('secret_hash', name=op.f('uq_calendar_feed_secret_hash')),
        sa.UniqueConstraint('user_id', name=op.f('uq_calendar_feed_user_id')),
    )
    op.create_table(
        'chat_channel',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=10), nullable=False),
        sa.Column('name', sa.String(length=100), nullable=False),
        sa.Column('secret_url', sa.String(length=500), nullable=False),
        sa.Column('events', sa.JSON(), nullable=False),
        sa.Column('active', sa.Boolean(), nullable=False),
        sa.Column('failing_since', sa.DateTime(timezone=True), nullable=True),
        sa.Column('disabled_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('organisation_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['organisation_id'], ['organisation.id'], name=op.f('fk_chat_channel_organisation_id_organisation'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_channel')),
    )
    with op.batch_alter_table('chat_channel', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_channel_organisation_id'), ['organisation_id'], unique=False)
    op.create_table(
        'chat_message',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('channel_id', sa.Integer(), nullable=False),
        sa.Column('event', sa.String(length=40), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_status', sa.Integer(), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=False),
        sa.Column('delivered_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('given_up_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['channel_id'], ['chat_channel.id'], name=op.f('fk_chat_message_channel_id_chat_channel'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_chat_message')),
    )
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chat_message_channel_id'), ['channel_id'], unique=False)
        batch_op.create_index('ix_chat_message_due', ['delivered_at', 'given_up_at', 'next_attempt_at'], unique=False)


def downgrade():
    # Subscriptions live on in people's calendar apps and channels are an administrator's setup: asked about.
    refuse_to_drop_data(tables=('chat_channel', 'calendar_feed'))
    with op.batch_alter_table('chat_message', schema=None) as batch_op:
        batch_op.drop_index('ix_chat_message_due')
        batch_op.drop_index(batch_op.f('ix_chat_message_channel_id'))
    op.drop_table('chat_message')
    with op.batch_alter_table('chat_channel', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chat_channel_organisation_id'))
    op.drop_table('chat_channel')
    op.drop_table('calendar_feed')
