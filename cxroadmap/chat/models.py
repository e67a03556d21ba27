"""An organisation's chat channels (Slack and Microsoft Teams webhooks) and the messages posted to them."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.extensions import db
from cxroadmap.notifications.models import Outgoing, Recipient
from cxroadmap.organisations.models import OrganisationOwned


class ChatChannel(Recipient, OrganisationOwned, db.Model):
    __audit_name__ = "Chat channel"

    kind: Mapped[str] = mapped_column(String(10))  # "slack" or "teams"
    name: Mapped[str] = mapped_column(String(100))
    # The webhook address is the channel's only credential: shown shortened, never in full after it was added,
    # and kept out of the audit trail (as every field named secret_url is).
    secret_url: Mapped[str] = mapped_column(String(500))

    messages: Mapped[list["ChatMessage"]] = relationship(back_populates="channel", cascade="all, delete-orphan",
                                                         passive_deletes=True)


class ChatMessage(Outgoing, db.Model):
    """One event (or a test) for one channel: the exact JSON posted, in the organisation's language, and how its
    attempts went."""

    __organisation_path__ = "channel"

    channel_id: Mapped[int] = mapped_column(ForeignKey("chat_channel.id", ondelete="CASCADE"), index=True)

    channel: Mapped[ChatChannel] = relationship(back_populates="messages")
