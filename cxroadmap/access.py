"""Who may do what, as views declare it: the roles and their order, the markers, and `can` for pages.

The check that enforces these declarations before every request lives in `accounts.authz`.
"""

from flask import abort, current_app, g, request

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

ROLES = Choices(
    Choice("viewer", _l("Viewer"), _l("Reads everything of the organisation and downloads its reports.")),
    Choice("contributor", _l("Contributor"),
           _l("Also logs teams' role statements and updates status, health and progress of the initiatives "
              "they own.")),
    Choice("steering", _l("Steering committee"), _l("Edits everything in the organisation.")),
    Choice("admin", _l("Administrator"), _l("Also manages the organisation's members and settings.")),
)

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SIGNED_IN = "signed_in"
SITE_ADMIN = "site_admin"


def role_allows(held: str | None, needed: str) -> bool:
    """Whether holding role `held` is enough for something that needs `needed`."""
    return held in ROLES and ROLES.position(held) >= ROLES.position(needed)


def requires(role: str, *, reads: str | None = None):
    """Declare the organisation role a view needs: `role` to change anything, `reads` (default: role) to look."""
    def mark(view):
        view.required_role, view.read_role = role, reads or role
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
