"""Accounts: users, passwords, signed-in sessions, two-factor codes and memberships of organisations."""

import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

import pyotp
from sqlalchemy import bindparam, false, func, select, update
from sqlalchemy.orm import contains_eager

from cxroadmap.access import ROLES
from cxroadmap.accounts.models import DIGEST_FREQUENCIES, Membership, User, UserSession
from cxroadmap.accounts.passwords import hash_password, needs_rehash, password_problem, verify_password
from cxroadmap.emails import email_problem, has_control_characters, normal_email
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import LANGUAGES, _
from cxroadmap.organisations.data_version import remember_stamp
from cxroadmap.organisations.models import DataVersion, Organisation, hold
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems, check_line, tidy

RECOVERY_CODES = 10
TOTP_ISSUER = "cxroadmap"


# -- users ---------------------------------------------------------------------------------------------

def user_by_email(email: str) -> User | None:
    email = normal_email(email)
    if has_control_characters(email):
        return None
    return db.session.scalar(select(User).where(User.email == email))


def create_user(email: str, name: str, password: str, site_admin: bool = False) -> User:
    """A new, active user; the password must meet the rules."""
    email, name = normal_email(email), tidy(name)
    problems = Problems()
    problems.require(email_problem(email) is None, "email", email_problem(email) or "")
    problems.require(user_by_email(email) is None if email else True, "email", _("There is already an account "
                       "with this email address."))
    check_line(problems, "name", name, 200, required=True)
    problems.require(password_problem(password, email) is None, "password", password_problem(password, email) or "")
    problems.raise_if_any()
    user = User(email=email, name=name, password_hash=hash_password(password), site_admin=site_admin)
    db.session.add(user)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Give user a new password and end every session they had."""
    problem = password_problem(password, user.email)
    if problem:
        raise DomainError({"password": problem})
    user.password_hash = hash_password(password)
    end_all_sessions(user)


def change_password(user: User, current: str, new: str) -> None:
    """The user's own change: the current password must be right."""
    if not verify_password(user.password_hash, current):
        raise DomainError({"current_password": _("This is not your current password.")})
    set_password(user, new)


def set_language(user: User, code: str | None) -> None:
    """The language the user reads the product in; empty follows the organisation, then the browser."""
    if code and code not in LANGUAGES:
        raise DomainError({"locale": _("Choose one of %(languages)s.", languages=", ".join(LANGUAGES.values()))})
    user.locale = code or None
    db.session.flush()


def deactivate(user: User) -> None:
    """The user can no longer sign in, and every session they had ends at once."""
    user.active = False
    end_all_sessions(user)


def authenticate(email: str, password: str) -> User | None:
    """The active user with this email and password, or None; the same work is done either way."""
    user = user_by_email(email) if isinstance(email, str) and len(email) <= 254 else None
    if not verify_password(user.password_hash if user else None, password or ""):
        return None
    if not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    return user


# -- sessions ------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class SessionLimits:
    """How long a session may stay unused, and how long it may live at all."""

    idle: timedelta
    absolute: timedelta

    @classmethod
    def configured(cls, config: Mapping) -> "SessionLimits":
        return cls(idle=timedelta(minutes=config["SESSION_IDLE_MINUTES"]),
                   absolute=timedelta(hours=config["SESSION_ABSOLUTE_HOURS"]))


def token_hash(token: str) -> str:
    """What is kept of a session's token: its SHA-256, never the token itself."""
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(user: User, address: str = "", pending_second_factor: bool = False) -> str:
    """A new signed-in session for user; returns its token (only its hash is stored)."""
    token = secrets.token_urlsafe(32)
    db.session.add(UserSession(token_hash=token_hash(token), user_id=user.id, address=address[:64],
                               pending_second_factor=pending_second_factor))
    db.session.flush()
    return token


@cache
def _session_query(with_membership: bool):
    # Built once: every signed-in request asks it first.
    query = (select(UserSession, Membership).join(UserSession.user).options(contains_eager(UserSession.user))
             .where(UserSession.token_hash == bindparam("token_hash")))
    if not with_membership:
        return query.outerjoin(Membership, false())
    return query.outerjoin(Membership, (Membership.user_id == User.id)
                           & (Membership.organisation_id == bindparam("organisation_id")))


def session_by_token(token: str, limits: SessionLimits, now: datetime | None = None,
                     organisation_id: int | None = None) -> tuple[UserSession | None, Membership | None]:
    """The live session with this token (not ended, not idle too long, not too old) with its user, and the user's
    membership of organisation_id when one is given: one query, as every signed-in request asks this first.
    (None, None) when there is no such session."""
    if not token or len(token) > 200:
        return None, None
    found = db.session.execute(_session_query(organisation_id is not None),
                               {"token_hash": token_hash(token), "organisation_id": organisation_id}).first()
    if found is None:
        return None, None
    record, membership = found
    return (record, membership) if is_live(record, limits, now or utcnow()) else (None, None)


def is_live(record: UserSession | None, limits: SessionLimits, now: datetime) -> bool:
    """Whether the session may still be used (see `live`)."""
    return record is not None and live(record.ended_at, record.user.active, record.created_at, record.last_seen_at,
                                       limits, now)


def live(ended_at: datetime | None, active: bool, created_at: datetime, last_seen_at: datetime,
         limits: SessionLimits, now: datetime) -> bool:
    """Whether a session with these values may still be used: not ended, its user active, not idle too long, not
    too old. The one rule, for sessions loaded whole and for the kept pages' check (accounts.page_cache)."""
    if ended_at is not None or not active:
        return False
    return now - _aware(created_at) <= limits.absolute and now - _aware(last_seen_at) <= limits.idle


@cache
def _organisation_and_session_query():
    return (select(Organisation, DataVersion.stamp, UserSession, Membership)
            .outerjoin(DataVersion, DataVersion.organisation_id == Organisation.id)
            .outerjoin(UserSession, UserSession.token_hash == bindparam("token_hash"))
            .outerjoin(User, User.id == UserSession.user_id)
            .outerjoin(Membership, (Membership.user_id == UserSession.user_id)
                       & (Membership.organisation_id == Organisation.id))
            .options(contains_eager(UserSession.user))
            .where(Organisation.slug == bindparam("slug")))


def organisation_and_session(slug: str, token: str) -> tuple[Organisation, UserSession | None, Membership | None] \
        | None:
    """An organisation's page, for a browser with a session token: the organisation with its data stamp (kept for
    `data_version`), the session with this token and its user, and the user's membership of the organisation, in
    one query; whether the session is live is for `is_live` to say. None when there is no such organisation."""
    found = db.session.execute(_organisation_and_session_query(),
                               {"slug": slug, "token_hash": token_hash(token)}).first()
    if found is None:
        return None
    organisation, stamp, record, membership = found
    remember_stamp(organisation, stamp)
    return organisation, record, (membership if record is not None else None)


def _aware(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; every stored time is UTC.
    return moment if moment.tzinfo else moment.replace(tzinfo=utcnow().tzinfo)


TOUCH_EVERY = timedelta(minutes=1)


def touch_due(record: UserSession, now: datetime) -> bool:
    """Whether the session's last activity is old enough to be written again (at most once a minute)."""
    return due_to_note(record.last_seen_at, now)


def due_to_note(last_seen_at: datetime, now: datetime) -> bool:
    return now - _aware(last_seen_at) > TOUCH_EVERY


def touch_session(connection, record: UserSession, now: datetime) -> None:
    """Note activity on its own short transaction (a page that only reads must not hold a write lock)."""
    if touch_due(record, now):
        connection.execute(update(UserSession).where(UserSession.id == record.id).values(last_seen_at=now))


def end_session(token: str) -> None:
    db.session.execute(update(UserSession).where(UserSession.token_hash == token_hash(token),
                                                 UserSession.ended_at.is_(None)).values(ended_at=utcnow()))


def end_all_sessions(user: User) -> None:
    db.session.execute(update(UserSession).where(UserSession.user_id == user.id,
                                                 UserSession.ended_at.is_(None)).values(ended_at=utcnow()))


def complete_second_factor(token: str) -> None:
    db.session.execute(update(UserSession).where(UserSession.token_hash == token_hash(token))
                       .values(pending_second_factor=False))


# -- two-factor codes ----------------------------------------------------------------------------------

def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email, issuer_name=TOTP_ISSUER)


def _matching_step(secret: str, code: str, now: datetime) -> int | None:
    """The time step (of the current one and its neighbours) whose code is `code`, or None."""
    code = (code or "").replace(" ", "")
    if not (code.isascii() and code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // totp.interval
    for candidate in (step, step - 1, step + 1):
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


def enable_two_factor(user: User, secret: str, code: str, now: datetime | None = None) -> list[str]:
    """Turn two-factor sign-in on once the user proves their app has secret; returns new recovery codes."""
    step = _matching_step(secret, code, now or utcnow())
    if step is None:
        raise DomainError({"code": _("That code is not right. Check the time on your phone and try the next one.")})
    user.totp_secret, user.totp_enabled, user.totp_last_step = secret, True, step
    return new_recovery_codes(user)


def disable_two_factor(user: User) -> None:
    user.totp_secret, user.totp_enabled, user.totp_last_step, user.recovery_codes = None, False, None, []


def new_recovery_codes(user: User) -> list[str]:
    """Ten fresh one-time recovery codes, shown once; only their hashes are kept."""
    codes = [f"{secrets.token_hex(3)}-{secrets.token_hex(3)}" for _ in range(RECOVERY_CODES)]
    user.recovery_codes = [token_hash(code) for code in codes]
    return codes


def verify_second_factor(user: User, code: str, now: datetime | None = None) -> bool:
    """Whether code is a current authenticator code not used before, or an unused recovery code (then used up)."""
    if not user.totp_enabled or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, now or utcnow())
    if step is not None:
        if user.totp_last_step is not None and step <= user.totp_last_step:
            return False  # that code (or an earlier one) has been used
        user.totp_last_step = step
        return True
    hashed = token_hash((code or "").strip().lower())
    if hashed in (user.recovery_codes or []):
        user.recovery_codes = [h for h in user.recovery_codes if h != hashed]
        return True
    return False


# -- memberships ---------------------------------------------------------------------------------------

def membership_of(user: User, organisation: Organisation) -> Membership | None:
    return db.session.scalar(select(Membership).where(Membership.user_id == user.id,
                                                      Membership.organisation_id == organisation.id))


def organisations_of(user: User) -> list[Membership]:
    query = (select(Membership).join(Organisation).where(Membership.user_id == user.id)
             .order_by(Organisation.name))
    return list(db.session.scalars(query))


def members_of(organisation: Organisation) -> list[Membership]:
    query = (select(Membership).join(User).where(Membership.organisation_id == organisation.id)
             .order_by(func.lower(User.name)))
    return list(db.session.scalars(query))


def add_membership(organisation: Organisation, email: str, role: str) -> Membership:
    """Give the user with this email a role in organisation (they need an account first)."""
    user = user_by_email(email)
    problems = Problems()
    problems.require(user is not None, "email", _("No account has this email address; ask a site administrator "
                       "to create one."))
    problems.require(role in ROLES, "role", ROLES.describe())
    if user is not None:
        problems.require(membership_of(user, organisation) is None, "email", _("This person is a member already."))
    problems.raise_if_any()
    membership = Membership(user=user, organisation_id=organisation.id, role=role)
    db.session.add(membership)
    db.session.flush()
    return membership


def own_membership(user: User, membership_id: int) -> Membership:
    """One of the user's own memberships; someone else's is not acknowledged."""
    found = db.session.scalar(select(Membership).where(Membership.id == membership_id, Membership.user_id == user.id))
    if found is None:
        raise NotInOrganisation(_("No such member."))
    return found


def set_digests(membership: Membership, digest: str, steering_digest: bool) -> Membership:
    """How often the member's own digest of this organisation comes, and whether the steering one does."""
    if digest not in DIGEST_FREQUENCIES:
        raise DomainError({"digest": _("Choose daily, weekly or off.")})
    membership.digest, membership.steering_digest = digest, bool(steering_digest)
    db.session.flush()
    return membership


def _admins_left(organisation: Organisation, besides: Membership) -> int:
    return db.session.scalar(select(func.count()).select_from(Membership).where(
        Membership.organisation_id == organisation.id, Membership.role == "admin", Membership.id != besides.id))


def change_role(organisation: Organisation, membership: Membership, role: str) -> Membership:
    if role not in ROLES:
        raise DomainError({"role": ROLES.describe()})
    hold(organisation)
    db.session.refresh(membership)
    if membership.role == "admin" and role != "admin" and _admins_left(organisation, membership) == 0:
        raise DomainError({"role": _("An organisation keeps at least one administrator.")})
    membership.role = role
    db.session.flush()
    return membership


def remove_membership(organisation: Organisation, membership: Membership) -> None:
    hold(organisation)
    db.session.refresh(membership)
    if membership.role == "admin" and _admins_left(organisation, membership) == 0:
        raise DomainError(_("An organisation keeps at least one administrator."))
    db.session.delete(membership)
    db.session.flush()


def membership_in(organisation: Organisation, membership_id: int) -> Membership:
    return get_in_organisation(organisation, Membership, _("No such member."), id=membership_id)
