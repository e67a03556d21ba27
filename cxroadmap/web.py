"""What every page shares: organisation-scoped blueprints, forms and their errors, the one commit point,
error pages, PDF and SVG responses, formatting."""

from collections.abc import Callable

from flask import Blueprint, Response, current_app, flash, g, redirect, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, NotFound

from cxroadmap.access import SAFE_METHODS
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language
from cxroadmap.money import format_money
from cxroadmap.organisations.services import organisation_by_slug


def organisation_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /o/<slug>/ whose views find the organisation in g.organisation (404 if unknown)."""
    blueprint = Blueprint(name, import_name, url_prefix="/o/<slug>")

    @blueprint.url_value_preprocessor
    def _load_organisation(endpoint, values):
        # An unknown slug is answered only after the access check, exactly as an organisation one has no
        # role in: a sign-in page for the anonymous, the same 404 for everyone else, so slugs cannot be probed.
        try:
            g.organisation = organisation_by_slug(values.pop("slug"))
        except NotInOrganisation:
            g.unknown_organisation = True

    @blueprint.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values and "organisation" in g:
            values["slug"] = g.organisation.slug

    return blueprint


def submit(form: FlaskForm, action: Callable):
    """On a valid POST, run action and keep its result; on a domain refusal, put the errors on the form.

    Returns what action returned, or None when the form is to be shown (again). The action's changes are sent
    to the database here, so a refusal by the database (a duplicate, a concurrent edit) comes back as a form
    error too; the request's end commits them (see `finish_request`).
    """
    if not form.validate_on_submit():
        return None
    try:
        result = action()
        db.session.flush()
    except DomainError as refusal:
        db.session.rollback()
        show_errors(form, refusal)
        return None
    except IntegrityError:
        # A rule the checks missed and the database kept: refuse the form rather than fail the page.
        db.session.rollback()
        current_app.logger.exception("integrity error behind a form on %s", request.path)
        form.form_errors.append(_("That clashes with something already saved (a duplicate name or reference?). "
                                  "Nothing was saved."))
        return None
    except StaleDataError:
        # Someone saved between our version check and our write: the database refused the overwrite.
        db.session.rollback()
        form.form_errors.append(_("Someone else saved a change at the same moment. Nothing of yours was saved: "
                                  "reload the page, then make your change again."))
        return None
    return result


def saved(form: FlaskForm, action: Callable, message: Callable, target: Callable):
    """On a valid POST, run action; when it saved, flash message(result) and redirect to target(result).

    None when the form is to be shown (again), with what was typed and the errors beside their fields.
    """
    result = submit(form, action)
    if not result:
        return None
    flash(message(result), "success")
    return redirect(target(result))


def submit_and_tell(form: FlaskForm, action: Callable, done: str) -> bool:
    """For a small form posted from a page that is then shown again: save and say so, or say why not."""
    if submit(form, action):
        flash(done, "success")
        return True
    messages = [" ".join(map(str, errors)) for errors in form.errors.values()] + [str(e) for e in form.form_errors]
    flash(_("Not saved. %(reasons)s", reasons=" ".join(messages)), "danger")
    return False


def show_errors(form: FlaskForm, refusal: DomainError) -> None:
    """Attach each of the refusal's messages to its field, or to the form as a whole."""
    for field_name, message in refusal.errors.items():
        field = form._fields.get(field_name) if field_name else None
        if field is not None:
            field.errors = [*field.errors, message]
        else:
            form.form_errors.append(message)


def render_form(template: str, form: FlaskForm, **context):
    """Render a page with a form; 422 when it comes back with errors, so clients can tell."""
    status = 422 if request.method == "POST" and (form.errors or form.form_errors) else 200
    return render_template(template, form=form, **context), status


def page_number() -> int:
    """The ?page= of a list, 1 when missing or not a positive whole number."""
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and 0 < int(value) < 1_000_000 else 1


def render_error(error):
    """Any error as a page: what the request had changed is undone first."""
    db.session.rollback()
    return error_page(error)


def error_page(error):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    return render_template("errors/error.html", error=error), error.code


def keep_changes() -> None:
    """Have the request's end commit what it recorded, even though it answers with an error or only reads."""
    g.keep_changes = True


def not_in_organisation(error):
    """What a service could not find in the organisation is a 404, like a page that does not exist."""
    return render_error(NotFound())


def finish_request(response: Response) -> Response:
    """The one commit point: a writing request whose view answered keeps what it did.

    Error pages have already rolled back (`render_error`); reading requests never commit. A refusal by the
    database at this last moment (a duplicate, an overwrite) is answered with 409 and nothing is kept.
    """
    if response.status_code >= 500 or (request.method in SAFE_METHODS and not g.get("keep_changes")):
        return response
    try:
        db.session.commit()
    except (IntegrityError, StaleDataError):
        current_app.logger.exception("the database refused the changes of %s %s", request.method, request.path)
        response, status = render_error(Conflict(_("Someone else saved a change at the same moment, or it clashes "
                                                   "with something already saved. Nothing was saved.")))
        return current_app.make_response((response, status))
    return response


def file_response(body: bytes, mimetype: str, filename: str | None = None, inline: bool = True) -> Response:
    """A generated file (PDF, SVG) of private data: never stored by a browser or proxy cache."""
    response = Response(body, mimetype=mimetype)
    if filename:
        disposition = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_response(body: bytes, filename: str, inline: bool = True) -> Response:
    return file_response(body, "application/pdf", filename, inline)


# A chart opened on its own may run nothing and load nothing; its styles are inline.
SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def svg_response(svg: str) -> Response:
    response = file_response(svg.encode(), "image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
    return response


def money(amount, whole: bool = False) -> str:
    """An amount in the organisation's currency, written the way the reader's language writes it."""
    return format_money(amount, g.organisation.currency, current_language(), whole=whole)
