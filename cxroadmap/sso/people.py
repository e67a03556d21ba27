"""Who signs in: the account of a provider's subject, linked once by verified email or made for an allowed domain,
and their memberships and roles as the provider's groups and the administrator's mapping say, at every sign-in."""

from sqlalchemy import select

from cxroadmap.access import ROLES
from cxroadmap.accounts import services as accounts
from cxroadmap.accounts.models import Membership, User
from cxroadmap.audit.services import record
from cxroadmap.emails import email_problem, normal_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.sso.flow import Identity, Refusal
from cxroadmap.sso.models import IdentityProvider, LinkedIdentity
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import tidy


def link_of(provider: IdentityProvider, subject: str) -> LinkedIdentity | None:
    return db.session.scalar(select(LinkedIdentity).where(LinkedIdentity.provider_id == provider.id,
                                                          LinkedIdentity.subject == subject))


def account_for(provider: IdentityProvider, identity: Identity) -> User:
    """The account this person signs in to: theirs by subject; else the account of their verified email, linked
    now (once); else a new one when the provider makes accounts for their domain. Refuses otherwise."""
    link = link_of(provider, identity.subject)
    if link is None:
        link = _link(provider, identity)
    if not link.user.active:
        raise Refusal("inactive", link.user.email)
    link.last_sign_in_at = utcnow()
    return link.user


def _link(provider: IdentityProvider, identity: Identity) -> LinkedIdentity:
    email = normal_email(identity.email)
    if not email or email_problem(email, mailed=False) or not identity.email_verified:
        raise Refusal("unverified", email)
    if email.rpartition("@")[2] not in provider.domains:
        raise Refusal("domain", email)
    user = accounts.user_by_email(email)
    if user is None:
        if not provider.creates_accounts:
            raise Refusal("no_account", email)
        user = User(email=email, name=tidy(identity.name)[:200] or email.split("@")[0], password_hash=None)
        db.session.add(user)
        db.session.flush()
        record("sso_account_created", object_type="User", object_id=user.id, object_label=user.email,
               changes={"provider": [None, provider.name]})
    else:
        earlier = db.session.scalar(select(LinkedIdentity).where(LinkedIdentity.provider_id == provider.id,
                                                                 LinkedIdentity.user_id == user.id))
        if earlier is not None and earlier.subject is not None:
            raise Refusal("linked", email)
        if earlier is not None:  # provisioned by SCIM: this first sign-in tells who they are at the provider
            earlier.subject = identity.subject
            db.session.flush()
            record("sso_linked", object_type="User", object_id=user.id, object_label=user.email,
                   changes={"provider": [None, provider.name]})
            return earlier
    link = LinkedIdentity(provider_id=provider.id, subject=identity.subject, user=user)
    db.session.add(link)
    db.session.flush()
    record("sso_linked", object_type="User", object_id=user.id, object_label=user.email,
           changes={"provider": [None, provider.name]})
    return link


def _rank(role: str) -> int:
    return ROLES.keys.index(role)


def roles_from_groups(provider: IdentityProvider, groups) -> dict[int, str | None]:
    """For each organisation the provider's mapping names: the highest role its groups give, or None."""
    wanted: dict[int, str | None] = {}
    for mapping in provider.mappings:
        held = wanted.get(mapping.organisation_id)
        if mapping.group in groups and (held is None or _rank(mapping.role) > _rank(held)):
            wanted[mapping.organisation_id] = mapping.role
        else:
            wanted.setdefault(mapping.organisation_id, None)
    return wanted


def apply_groups(provider: IdentityProvider, user: User, groups) -> list[str]:
    """Make the user's memberships of the organisations the mapping names what their groups say (others are left
    alone); each change lands in the trail. Returns what could not be done (the last administrator stays)."""
    kept = []
    for organisation_id, role in roles_from_groups(provider, set(groups)).items():
        organisation = db.session.get(Organisation, organisation_id)
        membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id,
                                                                Membership.organisation_id == organisation_id))
        before = membership.role if membership else None
        if role == before:
            continue
        try:
            if membership is None:
                membership = Membership(user_id=user.id, organisation_id=organisation_id, role=role)
                db.session.add(membership)
                db.session.flush()
            elif role is None:
                accounts.remove_membership(organisation, membership)
            else:
                accounts.change_role(organisation, membership, role)
        except DomainError as refusal:
            kept.append(" ".join(refusal.errors.values()))
            record("sso_role_kept", organisation=organisation, object_type="User", object_id=user.id,
                   object_label=user.email, changes={"role": [before, role]})
            continue
        record("sso_role_from_groups", organisation=organisation, object_type="User", object_id=user.id,
               object_label=user.email, changes={"role": [before, role], "provider": [None, provider.name]})
    return kept
