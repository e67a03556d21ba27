"""Identity providers as the site administrator keeps them: added, mapped, listed, removed; which one an email
address signs in with; and which organisations require single sign-on."""

import ipaddress
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import select

from cxroadmap.access import ROLES
from cxroadmap.accounts.models import Membership, User
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation, organisation_by_slug
from cxroadmap.sso.models import DEFAULT_SCOPES, GroupMapping, IdentityProvider, SsoRequirement
from cxroadmap.validation import Problems, check_line, tidy


def normal_issuer(issuer: str) -> str:
    """An issuer as it is kept and compared: trimmed, without a trailing slash."""
    return tidy(issuer).rstrip("/")


def issuer_problem(issuer: str) -> str | None:
    """Why this cannot be an issuer here, or None: HTTPS only, plain HTTP on loopback when the setting allows."""
    try:
        parts = urlsplit(issuer)
    except ValueError:
        parts = None
    if parts is None or not parts.hostname or parts.scheme not in ("https", "http") or parts.query or parts.fragment:
        return _("Give the issuer's address, such as https://login.example.org/realms/staff.")
    if parts.scheme == "http":
        try:
            loopback = ipaddress.ip_address(parts.hostname).is_loopback
        except ValueError:
            loopback = parts.hostname == "localhost"
        if not (loopback and current_app.config.get("SSO_ALLOW_HTTP_ISSUER")):
            return _("The issuer must be reached over HTTPS.")
    return None


def normal_domains(domains) -> list[str]:
    if isinstance(domains, str):
        domains = domains.replace(",", " ").split()
    return sorted({tidy(domain).lower().lstrip("@") for domain in domains if tidy(domain)})


def _domain_problem(domain: str) -> str | None:
    labels = domain.split(".")
    if len(domain) > 253 or len(labels) < 2 or not all(label and len(label) <= 63 and label.replace("-", "").isalnum()
                                                       and label.isascii() for label in labels):
        return _("%(domain)s is not an email domain (such as example.org).", domain=domain)
    return None


def add_provider(issuer: str, name: str, client_id: str, client_secret: str, domains, scopes: str = "",
                 groups_claim: str = "groups", creates_accounts: bool = True) -> IdentityProvider:
    """A new identity provider; every problem with what was given is named at once."""
    issuer, domains = normal_issuer(issuer), normal_domains(domains)
    problems = Problems()
    problems.require(issuer_problem(issuer) is None, "issuer", issuer_problem(issuer) or "")
    problems.require(provider_by_issuer(issuer) is None, "issuer", _("This identity provider is there already."))
    name = tidy(name) or (urlsplit(issuer).hostname or "") if not problems.get("issuer") else tidy(name)
    check_line(problems, "name", name, 100, required=True)
    check_line(problems, "client_id", tidy(client_id), 300, required=True)
    check_line(problems, "client_secret", (client_secret or "").strip(), 500, required=True)
    scopes = " ".join(dict.fromkeys(["openid", *(tidy(scopes) or DEFAULT_SCOPES).split()]))
    check_line(problems, "scopes", scopes, 300)
    for domain in domains:
        problems.require(_domain_problem(domain) is None, "domains", _domain_problem(domain) or "")
        other = provider_for_domain(domain)
        problems.require(other is None, "domains", _("%(domain)s signs in with %(name)s already.", domain=domain,
                                                     name=other.name if other else ""))
    problems.require(bool(domains), "domains", _("Give at least one email domain (such as example.org)."))
    check_line(problems, "groups_claim", tidy(groups_claim) or "groups", 100)
    problems.raise_if_any()
    provider = IdentityProvider(issuer=issuer, name=name, client_id=tidy(client_id),
                                client_secret=client_secret.strip(), scopes=scopes, domains=domains,
                                groups_claim=tidy(groups_claim) or "groups", creates_accounts=creates_accounts)
    db.session.add(provider)
    db.session.flush()
    return provider


def providers() -> list[IdentityProvider]:
    return list(db.session.scalars(select(IdentityProvider).order_by(IdentityProvider.name)))


def provider_by_issuer(issuer: str) -> IdentityProvider | None:
    return db.session.scalar(select(IdentityProvider).where(IdentityProvider.issuer == normal_issuer(issuer)))


def provider_named(issuer: str) -> IdentityProvider:
    """The provider of this issuer, or a refusal that says there is none."""
    provider = provider_by_issuer(issuer)
    if provider is None:
        raise DomainError(_("No identity provider has the issuer %(issuer)s.", issuer=normal_issuer(issuer)))
    return provider


def provider_by_id(provider_id: int) -> IdentityProvider:
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None:
        raise NotInOrganisation(_("No such identity provider."))
    return provider


def provider_for_domain(domain: str) -> IdentityProvider | None:
    domain = (domain or "").strip().lower()
    return next((provider for provider in providers() if domain in provider.domains), None)


def provider_for_email(email: str) -> IdentityProvider | None:
    """The provider people with this address sign in with, or None."""
    _local, at, domain = (email or "").rpartition("@")
    return provider_for_domain(domain) if at else None


def remove_provider(provider: IdentityProvider) -> None:
    """The provider goes, with its mappings and linked identities; the accounts stay (with their passwords)."""
    db.session.delete(provider)
    db.session.flush()


def map_group(provider: IdentityProvider, group: str, organisation: Organisation, role: str) -> GroupMapping:
    """Members of group hold role in organisation from their next sign-in on (a mapping there is changed)."""
    group = tidy(group)
    problems = Problems()
    check_line(problems, "group", group, 200, required=True)
    problems.require(role in ROLES, "role", ROLES.describe())
    problems.raise_if_any()
    mapping = db.session.scalar(select(GroupMapping).where(
        GroupMapping.provider_id == provider.id, GroupMapping.group == group,
        GroupMapping.organisation_id == organisation.id))
    if mapping is None:
        mapping = GroupMapping(provider=provider, group=group, organisation_id=organisation.id)
        db.session.add(mapping)
    mapping.role = role
    db.session.flush()
    return mapping


def unmap_group(mapping: GroupMapping) -> None:
    db.session.delete(mapping)
    db.session.flush()


def mapping_in(organisation: Organisation, mapping_id: int) -> GroupMapping:
    return get_in_organisation(organisation, GroupMapping, _("No such mapping."), id=mapping_id)


def mappings_of(organisation: Organisation) -> list[GroupMapping]:
    return list(db.session.scalars(select(GroupMapping).join(IdentityProvider)
                                   .where(GroupMapping.organisation_id == organisation.id)
                                   .order_by(IdentityProvider.name, GroupMapping.group)))


def organisation_named(slug: str) -> Organisation:
    return organisation_by_slug(slug)


# -- requiring single sign-on -------------------------------------------------------------------------------

def requires_sso(organisation: Organisation) -> bool:
    return db.session.get(SsoRequirement, organisation.id) is not None


def require_sso(organisation: Organisation, required: bool = True) -> bool:
    """Require single sign-on of the organisation's members (or no longer); whether anything changed."""
    found = db.session.get(SsoRequirement, organisation.id)
    if required and found is None:
        if not mappings_of(organisation):
            raise DomainError(_("Map a group of an identity provider to a role here first: nobody could sign in "
                                "to %(name)s otherwise.", name=organisation.name))
        db.session.add(SsoRequirement(organisation_id=organisation.id))
    elif not required and found is not None:
        db.session.delete(found)
    else:
        return False
    db.session.flush()
    return True


def password_refusal(user: User) -> str | None:
    """Why this account may not sign in with a password, or None. A site administrator with two-factor sign-in
    keeps a password for when the provider is down (break glass)."""
    if user.site_admin and user.totp_enabled:
        return None
    required = db.session.scalar(
        select(Organisation.name).join(SsoRequirement, SsoRequirement.organisation_id == Organisation.id)
        .join(Membership, Membership.organisation_id == Organisation.id).where(Membership.user_id == user.id)
        .order_by(Organisation.name).limit(1))
    if required is None:
        return None
    return _("%(name)s asks its members to sign in with their organisation's account, not a password: use the "
             "button below.", name=required)
