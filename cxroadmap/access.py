"""Who may do what: the roles and their order, the acts and their rules, the markers views declare, and `can`.

An act (post a status update, record a reading …) is declared once, by the area that owns it, with the role it
needs and any rule about its object; the pages, the API and the background work all ask the same `Act`. The check
that enforces the views' declarations before every request lives in `accounts.authz`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, current_app, g, request
from flask_login import current_user

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

ROLES = Choices.of(texts_beside(__file__)["ROLES"])

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SIGNED_IN = "signed_in"
SITE_ADMIN = "site_admin"


def role_allows(held: str | None, needed: str) -> bool:
    """Whether holding role `held` is enough for something that needs `needed`."""
    return held in ROLES and ROLES.position(held) >= ROLES.position(needed)


@dataclass(frozen=True)
class Person:
    """Who asks, as the policy sees them: their role in the organisation (None: none) and their email."""

    role: str | None
    email: str | None


@dataclass(frozen=True)
class Act:
    """Something a member may do in an organisation: the role it needs, and for some acts a rule about the object
    it is done to (a contributor posts updates only on the initiatives they own; steering on any)."""

    name: str
    role: str
    rule: Callable[[Person, Any], bool] | None = None

    def allows(self, person: Person, subject: Any = None) -> bool:
        """Whether person may do this (to subject, when the act has a rule about it)."""
        if not role_allows(person.role, self.role):
            return False
        return self.rule is None or subject is None or self.rule(person, subject)


def current_person() -> Person:
    """Who asks in this request: the API's token (its role here and its owner), or the signed-in member."""
    if "api_role" in g:
        return Person(g.api_role, g.api_person_email)
    membership = g.get("membership")
    email = current_user.email if current_user and current_user.is_authenticated else None
    return Person(membership.role if membership else None, email)


def may(act: Act, subject: Any = None) -> bool:
    """In a view or template: whether the one asking may do act (to subject)."""
    return act.allows(current_person(), subject)


def require(act: Act, subject: Any = None) -> None:
    """Refuse with 403 (a page, or a problem document under /api/) unless the one asking may do act to subject."""
    if not may(act, subject):
        abort(403)


def requires(role: "str | Act", *, reads: str | None = None):
    """Declare what a view needs: an act (its role, to change anything) or a role, and `reads` (default: the same)
    to look."""
    needed = role.role if isinstance(role, Act) else role

    def mark(view):
        view.required_role, view.read_role = needed, reads or needed
        return view
    return mark


def public(view):
    """A view anyone may open without signing in."""
    view.required_role = view.read_role = None
    view.public = True
    return view


def signed_in(view):
    """A view any signed-in user may open (it is not about one organisation's data)."""
    view.required_role = view.read_role = SIGNED_IN
    return view


def site_admin_only(view):
    view.required_role = view.read_role = SITE_ADMIN
    return view


def needed_role(view) -> str | None:
    """What the view declared for this request's method; a view that declared nothing is refused to all."""
    if getattr(view, "public", False):
        return None
    if not hasattr(view, "required_role"):
        current_app.logger.error("view %s declares no role; refusing", request.endpoint)
        abort(403)
    return view.read_role if request.method in SAFE_METHODS else view.required_role


def can(role: str) -> bool:
    """In a template or view: whether the signed-in member may do what needs `role` here."""
    membership = g.get("membership")
    return membership is not None and role_allows(membership.role, role)
