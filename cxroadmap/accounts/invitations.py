"""Accounts by email: invitations into an organisation, and forgotten passwords; single-use links, hashes kept."""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update

from cxroadmap.access import ROLES
from cxroadmap.accounts.models import Invitation, Membership, PasswordReset, User
from cxroadmap.accounts.services import _aware, add_membership, create_user, membership_of, set_password, user_by_email
from cxroadmap.emails import email_problem, normal_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


# -- invitations ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Invited:
    """What inviting did: an existing account was added (membership), or an invitation was made (with its token)."""

    membership: Membership | None = None
    invitation: Invitation | None = None
    token: str | None = None


def invite(organisation: Organisation, email: str, role: str, invited_by: str, days: int,
           now: datetime | None = None) -> Invited:
    """Invite someone by email with a role; someone who has an account already is simply added."""
    now, email = now or utcnow(), normal_email(email)
    problems = Problems()
    problems.require(email_problem(email) is None, "email", email_problem(email) or "")
    problems.require(role in ROLES, "role", ROLES.describe())
    problems.raise_if_any()
    user = user_by_email(email)
    if user is not None:
        if membership_of(user, organisation) is not None:
            raise DomainError({"email": _("This person is a member already.")})
        return Invited(membership=add_membership(organisation, email, role))
    # A new invitation replaces any the person still has for this organisation: only the latest link works.
    db.session.execute(update(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.email == email, Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None)).values(withdrawn_at=now))
    token = new_token()
    invitation = Invitation(organisation_id=organisation.id, email=email, role=role, token_hash=token_hash(token),
                            invited_by=invited_by[:254], created_at=now, expires_at=now + timedelta(days=days))
    db.session.add(invitation)
    db.session.flush()
    return Invited(invitation=invitation, token=token)


def pending_invitations(organisation: Organisation, now: datetime | None = None) -> list[Invitation]:
    """Invitations not yet accepted, withdrawn or expired, newest first."""
    query = select(Invitation).where(
        Invitation.organisation_id == organisation.id, Invitation.accepted_at.is_(None),
        Invitation.withdrawn_at.is_(None), Invitation.expires_at > (now or utcnow())
    ).order_by(Invitation.created_at.desc(), Invitation.id.desc())
    return list(db.session.scalars(query))


def invitation_in(organisation: Organisation, invitation_id: int) -> Invitation:
    return get_in_organisation(organisation, Invitation, _("No such invitation."), id=invitation_id)


def withdraw_invitation(invitation: Invitation, now: datetime | None = None) -> None:
    """The invitation's link stops working; one already accepted stays accepted."""
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has been accepted already."))
    invitation.withdrawn_at = invitation.withdrawn_at or now or utcnow()
    db.session.flush()


def invitation_by_token(token: str, now: datetime | None = None) -> Invitation:
    """The invitation this link is for, while it may still be used; otherwise a refusal saying why."""
    invitation = None
    if isinstance(token, str) and 0 < len(token) <= 200:
        invitation = db.session.scalar(select(Invitation).where(Invitation.token_hash == token_hash(token)))
    _require_usable(invitation, now)
    return invitation


def _require_usable(invitation: Invitation | None, now: datetime | None) -> None:
    if invitation is None or invitation.withdrawn_at is not None:
        raise DomainError(_("This invitation link is not valid (any more). Ask the administrator who invited you "
                            "for a new one."))
    if invitation.accepted_at is not None:
        raise DomainError(_("This invitation has been used already. Sign in with the account it made."))
    if _aware(invitation.expires_at) <= (now or utcnow()):
        raise DomainError(_("This invitation has expired. Ask the administrator who invited you for a new one."))


def accept_invitation(token: str, name: str = "", password: str = "", now: datetime | None = None) -> User:
    """Use the invitation: a new account with name and password (or the existing one) joins with the role.

    Of two people using the same link at once, one joins; the other is told it has been used."""
    now = now or utcnow()
    invitation = invitation_by_token(token, now)
    hold_row(invitation)
    _require_usable(invitation, now)
    user = user_by_email(invitation.email)
    if user is None:
        user = create_user(invitation.email, name, password)
    if membership_of(user, invitation.organisation) is None:
        db.session.add(Membership(user=user, organisation_id=invitation.organisation_id, role=invitation.role))
    invitation.accepted_at = now
    db.session.flush()
    return user


# -- forgotten passwords -------------------------------------------------------------------------------

def request_password_reset(email: str, minutes: int, address: str = "",
                           now: datetime | None = None) -> tuple[User, str] | None:
    """A reset link for the active account with this email, or None when there is none (the caller says the same)."""
    now = now or utcnow()
    # What is not an address (a NUL, which PostgreSQL refuses outright) is no account's.
    usable = isinstance(email, str) and len(email) <= 254 and email_problem(normal_email(email), mailed=False) is None
    user = user_by_email(email) if usable else None
    if user is None or not user.active:
        return None
    token = new_token()
    db.session.add(PasswordReset(user_id=user.id, token_hash=token_hash(token), created_at=now,
                                 expires_at=now + timedelta(minutes=minutes), address=address[:64]))
    db.session.flush()
    return user, token


def reset_by_token(token: str, now: datetime | None = None) -> PasswordReset:
    """The reset this link is for, while it may still be used; otherwise a refusal."""
    reset = None
    if isinstance(token, str) and 0 < len(token) <= 200:
        reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == token_hash(token)))
    if reset is None or reset.used_at is not None or not reset.user.active:
        raise DomainError(_("This link is not valid (any more): each one works once. Ask for a new one."))
    if _aware(reset.expires_at) <= (now or utcnow()):
        raise DomainError(_("This link has expired: it works for an hour. Ask for a new one."))
    return reset


def reset_password(token: str, password: str, now: datetime | None = None) -> User:
    """Set the account's new password through its link; the link and every other one is used up, and every
    session of the account ends."""
    now = now or utcnow()
    reset = reset_by_token(token, now)
    user = reset.user
    set_password(user, password)
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id,
                                                   PasswordReset.used_at.is_(None)).values(used_at=now))
    db.session.flush()
    return user
