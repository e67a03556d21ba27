"""A person's calendar subscription: the hash of its secret address, never the address itself."""

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow


class CalendarFeed(db.Model):
    """One person's subscription address: its secret is worked out from `nonce` and the site's key (so the page can
    show it again); only its hash is looked up, and a new nonce (or deleting the row) revokes the old address."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), unique=True)
    nonce: Mapped[str] = mapped_column(String(64))
    secret_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
