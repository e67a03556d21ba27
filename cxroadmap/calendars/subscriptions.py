"""Each person's private calendar address: issued, shown again, found by its secret, revoked."""

import base64
import hashlib
import hmac
import secrets

from flask import current_app
from sqlalchemy import select

from cxroadmap.accounts.models import User
from cxroadmap.calendars.models import CalendarFeed
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow


def _secret(user_id: int, nonce: str) -> str:
    """The address's secret: worked out from the row's nonce and the site's key, so a copy of the database alone
    (which holds only its hash) opens no one's calendar."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    digest = hmac.new(key, f"calendar-feed:{user_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def secret_of(feed: CalendarFeed) -> str:
    return _secret(feed.user_id, feed.nonce)


def issue(user: User) -> CalendarFeed:
    """A new address for the person; the one they had stops working (flushes)."""
    feed = feed_of(user) or CalendarFeed(user_id=user.id)
    feed.nonce = secrets.token_urlsafe(32)
    feed.secret_hash = _hash(_secret(user.id, feed.nonce))
    feed.created_at = utcnow()
    db.session.add(feed)
    db.session.flush()
    return feed


def revoke(user: User) -> bool:
    """The person's address stops working; whether they had one (flushes)."""
    feed = feed_of(user)
    if feed is None:
        return False
    db.session.delete(feed)
    db.session.flush()
    return True


def owner_of(secret: str) -> User | None:
    """The active person whose address has this secret, or None (revoked, unknown, or the account is off)."""
    if not secret or len(secret) > 100:
        return None
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.secret_hash == _hash(secret)))
    if feed is None or not hmac.compare_digest(secret_of(feed).encode(), secret.encode()):
        return None
    user = db.session.get(User, feed.user_id)
    return user if user is not None and user.active else None
