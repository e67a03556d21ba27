"""Users, their memberships of organisations, and their signed-in sessions."""

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy import true as sa_true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.access import ROLES
from cxroadmap.database import choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow

DIGEST_FREQUENCIES = ("daily", "weekly", "off")


class User(UserMixin, db.Model):
    __tablename__ = "user_account"

    email: Mapped[str] = mapped_column(String(254), unique=True)  # lower-case
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str | None] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True)
    site_admin: Mapped[bool] = mapped_column(default=False)
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_enabled: Mapped[bool] = mapped_column(default=False)
    # The last time step whose code was accepted: a code is good once.
    totp_last_step: Mapped[int | None]
    recovery_codes: Mapped[list[str]] = mapped_column(JSON, default=list)  # hashes of the unused ones
    # The language the user reads the product in; None follows the organisation, then the browser.
    locale: Mapped[str | None] = mapped_column(String(5))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    memberships: Mapped[list["Membership"]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                           passive_deletes=True)

    # Set by the session loader: the session this request is signed in with (Flask-Login keeps its token).
    session_token = None  # not a column

    def get_id(self) -> str | None:
        return self.session_token

    @property
    def is_active(self) -> bool:
        return self.active

    def __repr__(self):
        return f"<User {self.email}>"


class Membership(db.Model):
    __audit_name__ = "Membership"
    __table_args__ = (
        UniqueConstraint("user_id", "organisation_id", name="uq_membership_user_organisation"),
        one_of("role", ROLES.keys, "role_known"),
        one_of("digest", DIGEST_FREQUENCIES, "digest_known"),
    )

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # How often the member's own digest comes (daily | weekly | off), and whether the steering committee's
    # weekly organisation digest does (for steering members and administrators).
    digest: Mapped[str] = mapped_column(String(10), default="weekly", server_default="weekly")
    steering_digest: Mapped[bool] = mapped_column(default=True, server_default=sa_true())

    user: Mapped[User] = relationship(back_populates="memberships")
    organisation: Mapped[Organisation] = relationship()

    role_label = choice_label(ROLES, "role")


class UserSession(db.Model):
    """A signed-in session, kept on the server so that ending it ends every copy of its cookie."""

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # A password was right but the second factor is still to come: nothing but that step is open.
    pending_second_factor: Mapped[bool] = mapped_column(default=False)
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class Invitation(db.Model):
    """An administrator's invitation to join an organisation with a role; its link works once, for a week."""

    __audit_name__ = "Invitation"
    __table_args__ = (
        CheckConstraint(f"role IN ({', '.join(repr(k) for k in ROLES.keys)})", name="role_known"),
    )

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))  # lower-case
    role: Mapped[str] = mapped_column(String(20))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    accepted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    organisation: Mapped[Organisation] = relationship()

    role_label = choice_label(ROLES, "role")


class PasswordReset(db.Model):
    """A forgotten-password link: single use, short-lived, only its hash kept."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    address: Mapped[str] = mapped_column(String(64), default="")

    user: Mapped[User] = relationship()


class AccessToken(db.Model):
    """A personal access token for the JSON API: its owner's power, narrowed to one organisation and to reading."""

    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # None: every organisation the owner is a member of, now or later.
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))  # the first characters, so the owner can tell tokens apart
    can_write: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    last_used_from: Mapped[str] = mapped_column(String(64), default="")
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    user: Mapped[User] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
