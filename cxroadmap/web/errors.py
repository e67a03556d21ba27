"""Error pages: what the request changed is undone first; not found is one 404 whatever said it."""

from flask import current_app, flash, redirect, render_template, request
from werkzeug.exceptions import HTTPException, InternalServerError, NotFound, RequestEntityTooLarge

from cxroadmap.extensions import db
from cxroadmap.i18n import _


def render_error(error):
    """Any error as a page: what the request had changed is undone first. A form sent with more than
    MAX_CONTENT_LENGTH (a file too large) is shown again with that said, when its page can be shown. An error
    that carries its own answer (a limit's kind page, made by the view's `on_breach`) is answered with it."""
    db.session.rollback()
    if isinstance(error, HTTPException) and error.response is not None:
        return error.response
    if isinstance(error, RequestEntityTooLarge) and request.method == "POST" and request.url_rule is not None \
            and "GET" in request.url_rule.methods:
        limit = int(current_app.config["MAX_CONTENT_LENGTH"]) / (1024 * 1024)
        flash(_("What you sent is larger than %(size)s MB, so nothing of it was read or saved. Choose a smaller "
                "file and send it again.", size=f"{limit:g}"), "danger")
        return redirect(request.full_path.rstrip("?"), code=303)
    return error_page(error)


def error_page(error):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    return render_template("errors/error.html", error=error), error.code


def not_in_organisation(error):
    """What a service could not find in the organisation is a 404, like a page that does not exist."""
    return render_error(NotFound())
