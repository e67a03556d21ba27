"""Who may do what: every view declares what it needs, and one check before each request enforces it."""

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_login import current_user

from cxroadmap.accounts.roles import role_allows
from cxroadmap.accounts.services import membership_of
from cxroadmap.audit.services import record
from cxroadmap.extensions import db
from cxroadmap.i18n import _

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
SIGNED_IN = "signed_in"
SITE_ADMIN = "site_admin"


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


def enforce_access():
    """Before every request: signed in, second factor done, and the role the view needs in this organisation."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None or request.endpoint == "static":
        return None
    needed = needed_role(view)
    if needed is None:
        return None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
        return redirect(url_for("accounts.login", next=target))
    if g.get("pending_second_factor") and request.endpoint != "accounts.logout":
        return redirect(url_for("accounts.second_factor"))
    if needed == SITE_ADMIN:
        if not current_user.site_admin:
            _refuse(403)
        return None
    if needed == SIGNED_IN or "organisation" not in g:
        return None
    membership = membership_of(current_user, g.organisation)
    if membership is None:
        _refuse(404)  # another organisation's data is not even acknowledged
    g.membership = membership
    if g.organisation.require_two_factor and not current_user.totp_enabled:
        flash(_("%(name)s asks every member to sign in with a second factor. Set it up to continue.",
                name=g.organisation.name), "info")
        return redirect(url_for("accounts.two_factor"))
    if not role_allows(membership.role, needed):
        _refuse(403)
    return None


def _refuse(status: int):
    # Whatever the request began is undone; only the record of the refusal is kept.
    db.session.rollback()
    record("access_refused", organisation=g.get("organisation"), object_label=f"{request.method} {request.path}",
           changes={"status": [None, status]})
    db.session.commit()
    abort(status)


def can(role: str) -> bool:
    """In a template or view: whether the signed-in member may do what needs `role` here."""
    membership = g.get("membership")
    return membership is not None and role_allows(membership.role, role)
