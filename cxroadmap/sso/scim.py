"""SCIM 2.0 provisioning (RFC 7643/7644) of an identity provider's people: its bearer token, and the Users it
creates, replaces, deactivates and deletes. It reaches only accounts of its own email domains, and only the
memberships of the organisations its mapping names."""

import hashlib
import re
import secrets
from contextlib import suppress
from dataclasses import dataclass

from sqlalchemy import func, select

from cxroadmap.accounts import services as accounts
from cxroadmap.accounts.models import Membership, User
from cxroadmap.audit.services import record
from cxroadmap.emails import email_problem, normal_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.sso.models import IdentityProvider, LinkedIdentity
from cxroadmap.validation import tidy

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
MAX_COUNT = 200


class ScimError(Exception):
    """A SCIM error response (RFC 7644 3.12): its status, scimType where one applies, and what went wrong."""

    def __init__(self, status: int, detail: str, scim_type: str | None = None):
        super().__init__(detail)
        self.status, self.detail, self.scim_type = status, detail, scim_type

    def as_json(self) -> dict:
        body = {"schemas": [ERROR_SCHEMA], "status": str(self.status), "detail": self.detail}
        if self.scim_type:
            body["scimType"] = self.scim_type
        return body


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def new_token(provider: IdentityProvider) -> str:
    """A new SCIM token for the provider, replacing any other; shown once, only its hash kept."""
    token = "scim_" + secrets.token_urlsafe(32)
    provider.scim_token_hash, provider.scim_token_prefix = _hash(token), token[:12]
    db.session.flush()
    return token


def revoke_token(provider: IdentityProvider) -> None:
    provider.scim_token_hash = provider.scim_token_prefix = None
    db.session.flush()


def provider_of_token(token: str) -> IdentityProvider | None:
    if not token or len(token) > 200:
        return None
    return db.session.scalar(select(IdentityProvider).where(IdentityProvider.scim_token_hash == _hash(token)))


# -- Users --------------------------------------------------------------------------------------------------

def as_resource(link: LinkedIdentity, location: str) -> dict:
    user = link.user
    return {"schemas": [USER_SCHEMA], "id": str(link.id), "externalId": link.external_id, "userName": user.email,
            "name": {"formatted": user.name}, "displayName": user.name, "active": user.active,
            "emails": [{"value": user.email, "type": "work", "primary": True}],
            "meta": {"resourceType": "User", "created": link.created_at.isoformat(), "location": location}}


def _links(provider: IdentityProvider):
    return select(LinkedIdentity).join(User).where(LinkedIdentity.provider_id == provider.id)


_FILTER = re.compile(r'^\s*(userName|externalId)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def users(provider: IdentityProvider, filter_text: str | None, start: int, count: int) -> tuple[int, list]:
    """(total, the page of links) for a list request; only `userName eq "…"` and `externalId eq "…"` filter."""
    query = _links(provider)
    if filter_text:
        found = _FILTER.match(filter_text)
        if found is None:
            raise ScimError(400, 'Only userName eq "…" and externalId eq "…" filter here.', "invalidFilter")
        attribute, value = found.group(1).lower(), found.group(2).replace('\\"', '"')
        query = query.where(User.email == normal_email(value)) if attribute == "username" \
            else query.where(LinkedIdentity.external_id == value)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    page = list(db.session.scalars(query.order_by(LinkedIdentity.id).offset(max(start, 1) - 1)
                                   .limit(max(0, min(count, MAX_COUNT)))))
    return total, page


def link_in(provider: IdentityProvider, link_id: str) -> LinkedIdentity:
    link = db.session.scalar(_links(provider).where(LinkedIdentity.id == int(link_id))) \
        if link_id.isascii() and link_id.isdigit() and len(link_id) < 10 else None
    if link is None:
        raise ScimError(404, f"No User {link_id[:40]} here.")
    return link


@dataclass
class UserValues:
    email: str
    name: str
    active: bool
    external_id: str | None


def _values(provider: IdentityProvider, body: dict, current: UserValues | None = None) -> UserValues:
    if not isinstance(body, dict):
        raise ScimError(400, "The body must be a JSON object.", "invalidSyntax")
    email = normal_email(body.get("userName") if isinstance(body.get("userName"), str) else "")
    if not email and current is None:
        raise ScimError(400, "userName (the person's email address) is required.", "invalidValue")
    email = email or current.email
    if email_problem(email, mailed=False):
        raise ScimError(400, "userName must be an email address.", "invalidValue")
    if email.rpartition("@")[2] not in provider.domains:
        raise ScimError(400, f"{email} is not of this provider's domains ({', '.join(provider.domains)}).",
                        "invalidValue")
    name = body.get("displayName") or ""
    given = body.get("name") if isinstance(body.get("name"), dict) else {}
    name = tidy(str(name or given.get("formatted") or " ".join(
        str(part) for part in (given.get("givenName"), given.get("familyName")) if part)))[:200]
    active = body.get("active", True)
    if not isinstance(active, bool):
        raise ScimError(400, "active must be true or false.", "invalidValue")
    external = body.get("externalId")
    return UserValues(email, name or (current.name if current else email.split("@")[0]), active,
                      str(external)[:255] if external is not None else (current.external_id if current else None))


def create_user(provider: IdentityProvider, body: dict) -> LinkedIdentity:
    """A person the provider provisions: their account (made, or the existing one of their address) linked to it."""
    values = _values(provider, body)
    user = accounts.user_by_email(values.email)
    if user is not None and db.session.scalar(select(LinkedIdentity.id).where(
            LinkedIdentity.provider_id == provider.id, LinkedIdentity.user_id == user.id)):
        raise ScimError(409, f"{values.email} is provisioned already.", "uniqueness")
    if user is None:
        user = User(email=values.email, name=values.name, password_hash=None)
        db.session.add(user)
        db.session.flush()
    link = LinkedIdentity(provider_id=provider.id, subject=None, user=user, external_id=values.external_id)
    db.session.add(link)
    db.session.flush()
    record("scim_user_provisioned", object_type="User", object_id=user.id, object_label=user.email)
    _set_active(provider, link, values.active)
    return link


def replace_user(provider: IdentityProvider, link: LinkedIdentity, body: dict) -> LinkedIdentity:
    user = link.user
    values = _values(provider, body, UserValues(user.email, user.name, user.active, link.external_id))
    if values.email != user.email:
        other = accounts.user_by_email(values.email)
        if other is not None:
            raise ScimError(409, f"Another account has {values.email}.", "uniqueness")
        user.email = values.email
    user.name, link.external_id = values.name, values.external_id
    _set_active(provider, link, values.active)
    db.session.flush()
    return link


def patch_user(provider: IdentityProvider, link: LinkedIdentity, body: dict) -> LinkedIdentity:
    """PATCH (RFC 7644 3.5.2): replace or add of active, userName, displayName, name, externalId."""
    if not isinstance(body, dict) or PATCH_SCHEMA not in (body.get("schemas") or []) \
            or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "Send a PatchOp with Operations.", "invalidSyntax")
    user = link.user
    changed = {"userName": user.email, "displayName": user.name, "active": user.active,
               "externalId": link.external_id}
    for operation in body["Operations"]:
        if not isinstance(operation, dict) or str(operation.get("op", "")).lower() not in ("replace", "add"):
            raise ScimError(400, "Only replace and add operations are supported.", "invalidValue")
        path, value = operation.get("path"), operation.get("value")
        if path is None and isinstance(value, dict):
            changed.update(value)
        elif isinstance(path, str) and path.replace("name.", "") in ("active", "userName", "displayName",
                                                                     "externalId", "formatted"):
            changed["displayName" if path in ("name.formatted",) else path] = value
        # Other attributes (name.givenName, emails[…], title …) are not kept here: accepted and left alone, as
        # Entra ID and Okta send them with every change.
    if isinstance(changed.get("active"), str):
        changed["active"] = changed["active"].lower() == "true"  # Entra ID sends "False"
    return replace_user(provider, link, changed)


def _set_active(provider: IdentityProvider, link: LinkedIdentity, active: bool) -> None:
    user = link.user
    if active == user.active:
        return
    if active:
        user.active = True
        record("scim_user_reactivated", object_type="User", object_id=user.id, object_label=user.email)
    else:
        accounts.deactivate(user)  # every session of theirs ends at once
        record("user_deactivated", object_type="User", object_id=user.id, object_label=user.email,
               changes={"by": [None, f"SCIM ({provider.name})"]})


def delete_user(provider: IdentityProvider, link: LinkedIdentity) -> None:
    """The person leaves: deactivated, out of the organisations the mapping names, the link gone."""
    user = link.user
    _set_active(provider, link, False)
    organisations = {mapping.organisation_id for mapping in provider.mappings}
    for membership in db.session.scalars(select(Membership).where(Membership.user_id == user.id,
                                                                  Membership.organisation_id.in_(organisations))):
        # The last administrator stays a member (deactivated, they cannot sign in).
        with suppress(DomainError):
            accounts.remove_membership(membership.organisation, membership)
    record("scim_user_deleted", object_type="User", object_id=user.id, object_label=user.email)
    db.session.delete(link)
    db.session.flush()


# -- Groups: the provider's groups and who is in them; the mapping turns them into roles -----------------------

GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"


def group_names(provider: IdentityProvider) -> list[str]:
    """The groups the mapping names and those anyone provisioned is in."""
    names = {mapping.group for mapping in provider.mappings}
    for groups in db.session.scalars(select(LinkedIdentity.groups).where(LinkedIdentity.provider_id == provider.id)):
        names.update(groups or [])
    return sorted(names)


def members_of_group(provider: IdentityProvider, name: str) -> list[LinkedIdentity]:
    return [link for link in db.session.scalars(_links(provider).order_by(LinkedIdentity.id))
            if name in (link.groups or [])]


def group_resource(provider: IdentityProvider, name: str, location: str) -> dict:
    return {"schemas": [GROUP_SCHEMA], "id": name, "displayName": name,
            "members": [{"value": str(link.id), "display": link.user.email, "type": "User"}
                        for link in members_of_group(provider, name)],
            "meta": {"resourceType": "Group", "location": location}}


def group_named(provider: IdentityProvider, name: str) -> str:
    if name not in group_names(provider):
        raise ScimError(404, f"No Group {name[:80]} here.")
    return name


def _member_links(provider: IdentityProvider, members) -> list[LinkedIdentity]:
    if not isinstance(members, list):
        raise ScimError(400, "members must be a list.", "invalidValue")
    links = []
    for member in members:
        value = str(member.get("value", "")) if isinstance(member, dict) else ""
        try:
            links.append(link_in(provider, value))
        except ScimError:
            raise ScimError(400, f"No User {value[:40]} here to be a member.", "invalidValue") from None
    return links


def _set_groups(provider: IdentityProvider, link: LinkedIdentity, groups: list[str]) -> None:
    from cxroadmap.sso.people import apply_groups

    if sorted(groups) == sorted(link.groups or []):
        return
    link.groups = sorted(set(groups))
    db.session.flush()
    apply_groups(provider, link.user, link.groups)


def set_group_members(provider: IdentityProvider, name: str, members) -> str:
    """The group has exactly these members (POST and PUT); each one's roles follow at once."""
    name = tidy(str(name or ""))[:200]
    if not name:
        raise ScimError(400, "displayName is required.", "invalidValue")
    wanted = {link.id for link in _member_links(provider, members)}
    for link in db.session.scalars(_links(provider)):
        groups = set(link.groups or [])
        groups = groups | {name} if link.id in wanted else groups - {name}
        _set_groups(provider, link, sorted(groups))
    return name


_MEMBER_PATH = re.compile(r'^members\[value eq "([^"]*)"\]$', re.IGNORECASE)


def patch_group(provider: IdentityProvider, name: str, body: dict) -> str:
    """add / remove / replace of members (RFC 7644 3.5.2), as Entra ID and Okta send them."""
    if not isinstance(body, dict) or not isinstance(body.get("Operations"), list):
        raise ScimError(400, "Send a PatchOp with Operations.", "invalidSyntax")
    members = {link.id for link in members_of_group(provider, name)}
    for operation in body["Operations"]:
        op = str(operation.get("op", "")).lower() if isinstance(operation, dict) else ""
        path, value = operation.get("path") if op else None, operation.get("value") if op else None
        single = _MEMBER_PATH.match(path or "")
        if op == "add" and (path or "").lower() == "members":
            members |= {link.id for link in _member_links(provider, value)}
        elif op == "remove" and single:
            members.discard(link_in(provider, single.group(1)).id)
        elif op == "remove" and (path or "").lower() == "members":
            members -= {link.id for link in _member_links(provider, value)} if value else members
        elif op == "replace" and (path or "").lower() == "members":
            members = {link.id for link in _member_links(provider, value)}
        elif op in ("add", "replace") and (path or "").lower() in ("displayname", ""):
            continue  # renaming a group is not kept here: the mapping names groups by name
        else:
            raise ScimError(400, "Only members can be added, removed or replaced.", "invalidPath")
    return set_group_members(provider, name, [{"value": str(member)} for member in members])
