"""Identity providers, the mapping of their groups to roles in organisations, the identities linked to accounts,
and the organisations that require single sign-on."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.access import ROLES
from cxroadmap.accounts.models import User
from cxroadmap.database import choice_label
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow

DEFAULT_SCOPES = "openid email profile"


class IdentityProvider(db.Model):
    """An OpenID provider people of some email domains sign in with (their company's Entra ID, Keycloak …).

    Not audited row by row (its secret would land in the trail): its services record what changed in words."""

    issuer: Mapped[str] = mapped_column(String(300), unique=True)  # as its discovery document states it
    name: Mapped[str] = mapped_column(String(100))  # on the button: "Sign in with <name>"
    client_id: Mapped[str] = mapped_column(String(300))
    # Needed in the clear to ask the provider for tokens; never shown again once saved.
    client_secret: Mapped[str] = mapped_column(String(500))
    scopes: Mapped[str] = mapped_column(String(300), default=DEFAULT_SCOPES)
    domains: Mapped[list[str]] = mapped_column(JSON, default=list)  # lower-case, without "@"
    groups_claim: Mapped[str] = mapped_column(String(100), default="groups")
    # New people of its domains get an account at their first sign-in (else they must be invited first).
    creates_accounts: Mapped[bool] = mapped_column(default=True)
    # SCIM: only the hash of the bearer token is kept; the prefix tells tokens apart.
    scim_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    scim_token_prefix: Mapped[str | None] = mapped_column(String(12))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    mappings: Mapped[list["GroupMapping"]] = relationship(back_populates="provider", cascade="all, delete-orphan",
                                                          passive_deletes=True, order_by="GroupMapping.group")

    def __repr__(self):
        return f"<IdentityProvider {self.issuer}>"


class GroupMapping(db.Model):
    """Members of a provider's group hold a role in an organisation (`cx-steering` → steering in one)."""

    __tablename__ = "sso_group_mapping"
    __audit_name__ = "Group mapping"
    __table_args__ = (
        UniqueConstraint("provider_id", "group", "organisation_id", name="uq_sso_group_mapping"),
        CheckConstraint(f"role IN ({', '.join(repr(k) for k in ROLES.keys)})", name="role_known"),
    )

    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_provider.id", ondelete="CASCADE"), index=True)
    group: Mapped[str] = mapped_column(String(200))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(20))

    provider: Mapped[IdentityProvider] = relationship(back_populates="mappings")
    organisation: Mapped[Organisation] = relationship()

    role_label = choice_label(ROLES, "role")


class LinkedIdentity(db.Model):
    """A person at a provider (its issuer and their subject there) known as one account here."""

    __table_args__ = (UniqueConstraint("provider_id", "subject", name="uq_linked_identity_subject"),)

    provider_id: Mapped[int] = mapped_column(ForeignKey("identity_provider.id", ondelete="CASCADE"), index=True)
    # None while provisioned by SCIM and not yet signed in: the first sign-in by their verified email sets it.
    subject: Mapped[str | None] = mapped_column(String(255))
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"), index=True)
    # Set by SCIM: the id the provider's provisioning knows the person by (userName is their email here).
    external_id: Mapped[str | None] = mapped_column(String(255))
    # The provider's groups the person is in, as the last sign-in's claim or SCIM's Groups said.
    groups: Mapped[list[str]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_sign_in_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    provider: Mapped[IdentityProvider] = relationship()
    user: Mapped[User] = relationship()


class SsoRequirement(db.Model):
    """The organisation's members sign in through their identity provider only, never with a password."""

    id = None  # one row an organisation, keyed by it
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                 primary_key=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
