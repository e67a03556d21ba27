"""What was sent (so nothing is sent twice), the organisation's mail settings, webhook endpoints and deliveries, and
what every recipient of events and every post to one has (chat channels and their messages share them)."""

from datetime import datetime

from sqlalchemy import JSON, ColumnElement, DateTime, ForeignKey, Index, String, Text, and_
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.timeutil import utcnow


class SentNotice(db.Model):
    """One message sent (or one event raised): its key names what and for whom, and is unique."""

    key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[str] = mapped_column(String(30))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                        index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class NotificationSettings(OrganisationOwned, db.Model):
    __audit_name__ = "Mail settings"

    # Attendees get a meeting's agenda and steering pack this many days before it (0: not at all).
    meeting_pack_days: Mapped[int] = mapped_column(default=3)
    # Digests and packs go out at this hour in the organisation's time zone (weekly ones on Monday).
    digest_hour: Mapped[int] = mapped_column(default=7)


class Recipient:
    """Where events are posted (a webhook endpoint, a chat channel): the events it chose, and whether it is on.
    Declared once because `posting` retries every kind alike and turns off one that has failed for a day."""

    events: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    # Since when every post to it has failed (None while it answers); after 24 hours it is disabled.
    failing_since: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Outgoing:
    """One body to post to one recipient, with how its attempts went: tried until it is taken, or given up a day
    after it was made (see `posting`, which works on these columns for every kind alike)."""

    @declared_attr.directive
    def __table_args__(cls) -> tuple:
        return (Index(f"ix_{cls.__tablename__}_due", "delivered_at", "given_up_at", "next_attempt_at"),)

    event: Mapped[str] = mapped_column(String(40))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    attempts: Mapped[int] = mapped_column(default=0)
    last_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_status: Mapped[int | None] = mapped_column()
    # Sorted after the columns of the model itself, so that one it adds about the answer (a webhook's
    # last_response_ms) stands beside last_status, where the tables have it.
    last_error: Mapped[str] = mapped_column(String(300), default="", sort_order=1)
    delivered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), sort_order=1)
    given_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), sort_order=1)

    @classmethod
    def pending(cls) -> ColumnElement[bool]:
        """Neither delivered nor given up: still to be tried."""
        return and_(cls.delivered_at.is_(None), cls.given_up_at.is_(None))


class WebhookEndpoint(Recipient, OrganisationOwned, db.Model):
    __audit_name__ = "Webhook endpoint"

    url: Mapped[str] = mapped_column(String(500))
    secret: Mapped[str] = mapped_column(String(100))

    deliveries: Mapped[list["WebhookDelivery"]] = relationship(back_populates="endpoint",
                                                               cascade="all, delete-orphan", passive_deletes=True)


class WebhookDelivery(Outgoing, db.Model):
    """One event for one endpoint: the exact body, and how its attempts went."""

    __organisation_path__ = "endpoint"

    endpoint_id: Mapped[int] = mapped_column(ForeignKey("webhook_endpoint.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(String(36))
    last_response_ms: Mapped[int | None] = mapped_column(sort_order=1)

    endpoint: Mapped[WebhookEndpoint] = relationship(back_populates="deliveries")
