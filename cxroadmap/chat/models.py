"""An organisation's chat channels (Slack and Microsoft Teams webhooks) and the messages posted to them."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow


class ChatChannel(OrganisationOwned, db.Model):
    __tablename__ = "chat_channel"
    __audit_name__ = "Chat channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # "slack" or "teams"
    name: Mapped[str] = mapped_column(String(100))
    # The webhook address is the channel's only credential: shown shortened, never in full after it was added,
    # and kept out of the audit trail (as every field named secret_url is).
    secret_url: Mapped[str] = mapped_column(String(500))
    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    messages: Mapped[list["ChatMessage"]] = relationship(back_populates="channel", cascade="all, delete-orphan",
                                                         passive_deletes=True)


class ChatMessage(db.Model):
    """One event (or a test) for one channel: the exact JSON posted, in the organisation's language, and how its
    attempts went."""

    __tablename__ = "chat_message"
    __organisation_path__ = "channel"
    __table_args__ = (Index("ix_chat_message_due", "delivered_at", "given_up_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channel.id", ondelete="CASCADE"), index=True)
    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None]
    last_error: Mapped[str] = mapped_column(String(300), default="")
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    given_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    channel: Mapped[ChatChannel] = relationship(back_populates="messages")
