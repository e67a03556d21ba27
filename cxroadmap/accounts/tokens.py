"""Personal access tokens: made, shown once, kept as a hash, checked on each API request, revoked."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from cxroadmap.access import role_allows
from cxroadmap.accounts.models import AccessToken, Membership, User
from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems, check_line, tidy

TOKEN_PREFIX = "cxr_"
MAX_DAYS = 366


def token_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class NewToken:
    """A token just made: the secret is here once and nowhere else."""

    token: AccessToken
    secret: str


def create_token(user: User, name: str, organisation: Organisation | None, can_write: bool, days: int,
                 now: datetime | None = None) -> NewToken:
    """A new token of user's for one of their organisations (or all); it lives `days` days, a year at most."""
    name = tidy(name)
    problems = Problems()
    check_line(problems, "name", name, 100, required=True)
    problems.require(isinstance(days, int) and 1 <= days <= MAX_DAYS, "days",
                     _("A token lives from 1 to %(days)s days.", days=MAX_DAYS))
    if organisation is not None:
        member = db.session.scalar(select(Membership).where(Membership.user_id == user.id,
                                                            Membership.organisation_id == organisation.id))
        problems.require(member is not None, "organisation",
                         _("You have no role in %(name)s.", name=organisation.name))
    problems.raise_if_any()
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = now or utcnow()
    token = AccessToken(user_id=user.id, organisation_id=organisation.id if organisation else None, name=name,
                        token_hash=token_hash(secret), prefix=secret[:12], can_write=bool(can_write),
                        created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(token)
    db.session.flush()
    return NewToken(token, secret)


def tokens_of(user: User) -> list[AccessToken]:
    """The user's tokens, newest first, revoked ones included (they show as revoked)."""
    query = select(AccessToken).where(AccessToken.user_id == user.id).order_by(AccessToken.created_at.desc(),
                                                                               AccessToken.id.desc())
    return list(db.session.scalars(query))


def token_of(user: User, token_id: int) -> AccessToken:
    token = db.session.scalar(select(AccessToken).where(AccessToken.id == token_id, AccessToken.user_id == user.id))
    if token is None:
        raise NotInOrganisation(_("No such token."))
    return token


def revoke_token(token: AccessToken, now: datetime | None = None) -> None:
    if token.revoked_at is None:
        token.revoked_at = now or utcnow()
        db.session.flush()


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


def token_state(token: AccessToken, now: datetime | None = None) -> str:
    """live, expired or revoked."""
    if token.revoked_at is not None:
        return "revoked"
    if _aware(token.expires_at) <= (now or utcnow()):
        return "expired"
    return "live"


def live_token(secret: str, now: datetime | None = None) -> AccessToken | None:
    """The token with this secret when it is neither expired nor revoked and its owner is active; else None."""
    if not secret or len(secret) > 200 or not secret.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(AccessToken).where(AccessToken.token_hash == token_hash(secret)))
    if token is None or token_state(token, now) != "live" or not token.user.active:
        return None
    return token


def role_through(token: AccessToken, organisation: Organisation) -> str | None:
    """The role the token acts with in organisation: its owner's role now, at most viewer when read-only.

    None when the token does not reach the organisation (another one, or the owner is no longer a member).
    """
    if token.organisation_id is not None and token.organisation_id != organisation.id:
        return None
    role = db.session.scalar(select(Membership.role).where(Membership.user_id == token.user_id,
                                                           Membership.organisation_id == organisation.id))
    if role is None:
        return None
    return role if token.can_write else "viewer"


def organisations_through(token: AccessToken) -> list[tuple[Organisation, str]]:
    """The organisations the token reaches, by name, with the role it acts with in each."""
    query = (select(Organisation, Membership.role).join(Membership, Membership.organisation_id == Organisation.id)
             .where(Membership.user_id == token.user_id).order_by(Organisation.name, Organisation.id))
    if token.organisation_id is not None:
        query = query.where(Organisation.id == token.organisation_id)
    return [(organisation, role if token.can_write else "viewer")
            for organisation, role in db.session.execute(query).all()]


def may(token_role: str | None, needed: str) -> bool:
    return token_role is not None and role_allows(token_role, needed)


def note_use(connection, token_id: int, address: str, now: datetime) -> None:
    """Remember when and from where the token was last used (on a connection of its own)."""
    connection.execute(update(AccessToken).where(AccessToken.id == token_id)
                       .values(last_used_at=now, last_used_from=address[:64]))

