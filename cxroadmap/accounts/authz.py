"""The one check before each request that enforces what every view declares with the markers of `access`."""

from flask import current_app, flash, g, redirect, request, url_for
from flask_login import current_user
from werkzeug.exceptions import Forbidden, NotFound

from cxroadmap.access import SAFE_METHODS, SIGNED_IN, SITE_ADMIN, needed_role, role_allows
from cxroadmap.accounts.services import membership_of
from cxroadmap.audit.services import record
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.web import error_page, keep_changes


def enforce_access():
    """Before every request: signed in, second factor done, and the role the view needs in this organisation."""
    view = current_app.view_functions.get(request.endpoint)
    if view is None or request.endpoint == "static":
        return None
    needed = needed_role(view)
    if needed is None:
        return _refuse(404) if g.get("unknown_organisation") else None
    if not current_user.is_authenticated:
        target = request.full_path.rstrip("?") if request.method in SAFE_METHODS else None
        return redirect(url_for("accounts.login", next=target))
    if g.get("pending_second_factor") and request.endpoint != "accounts.logout":
        return redirect(url_for("accounts.second_factor"))
    if needed == SITE_ADMIN:
        if not current_user.site_admin:
            return _refuse(403)
        return None
    if needed == SIGNED_IN:
        return None
    if g.get("unknown_organisation"):
        return _refuse(404)
    if "organisation" not in g:
        # A role in an organisation means nothing outside /o/<slug>/: refuse rather than let it through.
        current_app.logger.error("view %s needs an organisation role but has no organisation", request.endpoint)
        return _refuse(403)
    found = g.pop("found_membership", None)  # what signing in found with the session, in the same query
    membership = found[1] if found and found[0] == g.organisation.id else membership_of(current_user, g.organisation)
    if membership is None:
        return _refuse(404)  # another organisation's data is not even acknowledged
    g.membership = membership
    if g.organisation.require_two_factor and not current_user.totp_enabled:
        flash(_("%(name)s asks every member to sign in with a second factor. Set it up to continue.",
                name=g.organisation.name), "info")
        return redirect(url_for("accounts.two_factor"))
    if not role_allows(membership.role, needed):
        return _refuse(403)
    return None


def _refuse(status: int):
    # Whatever the request began is undone; only the record of the refusal is kept.
    db.session.rollback()
    record("access_refused", organisation=g.get("organisation"), object_label=f"{request.method} {request.path}",
           changes={"status": [None, status]})
    keep_changes()
    if status == 404:
        # Nothing of an organisation one has no role in shows: not its name, not its navigation.
        g.pop("organisation", None)
    return error_page(Forbidden() if status == 403 else NotFound())
