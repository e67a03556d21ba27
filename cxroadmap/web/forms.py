"""Forms on pages: submitted through their service, every error beside its field at once, refused forms kept for the
page to show again, 422 when a form comes back with errors."""

from collections.abc import Callable

from flask import current_app, flash, g, redirect, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, format_day


def submit(form: FlaskForm, action: Callable):
    """On a valid POST, run action and keep its result; on a domain refusal, put the errors on the form.

    Returns what action returned, or None when the form is to be shown (again). The action's changes are sent
    to the database here, so a refusal by the database (a duplicate, a concurrent edit) comes back as a form
    error too; the request's end commits them (see `finish_request`).
    """
    if not form.validate_on_submit():
        if request.method == "POST":
            _add_domain_problems(form)
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
    _warn_about_dates(form)
    _say_how_numbers_were_read(form)
    return result


def _add_domain_problems(form: FlaskForm) -> None:
    """Every problem at once: a form whose fields did not all parse still hears what its service would refuse
    (due before start) beside the fields that did parse. Forms offer that as domain_problems(), which checks
    and writes nothing, returning the problems or raising them as a DomainError."""
    check = getattr(form, "domain_problems", None)
    if check is None:
        return
    try:
        problems = check() or {}
    except DomainError as refusal:
        problems = refusal.errors
    except (TypeError, ValueError, KeyError, AttributeError):  # the check needs what failed to parse
        return
    for field_name, message in problems.items():
        field = form._fields.get(field_name)
        if field is not None and not field.errors:
            field.errors = [*field.errors, message]


# A date this far back or ahead is allowed (history is recorded late, plans run long) but is probably a slip of
# the keyboard: the person is told what was saved.
PLAUSIBLE_PAST_DAYS, PLAUSIBLE_FUTURE_DAYS = 366, 10 * 366


def _warn_about_dates(form: FlaskForm) -> None:
    from cxroadmap.fields import DayField
    from cxroadmap.timeutil import today

    on = today()
    for field in form:
        if not isinstance(field, DayField) or field.data is None or field.object_data == field.data:
            continue
        if (on - field.data).days > PLAUSIBLE_PAST_DAYS:
            flash(_("Saved with %(field)s %(date)s, more than a year ago: correct it if that was a slip.",
                    field=field.label.text, date=format_day(field.data)), "warning")
        elif (field.data - on).days > PLAUSIBLE_FUTURE_DAYS:
            flash(_("Saved with %(field)s %(date)s, more than ten years ahead: correct it if that was a slip.",
                    field=field.label.text, date=format_day(field.data)), "warning")


def _say_how_numbers_were_read(form: FlaskForm) -> None:
    for field in form:
        read_as = getattr(field, "read_as", None)
        if read_as:
            flash(_("%(field)s: “%(typed)s” was read as %(value)s.", field=field.label.text, typed=read_as[0],
                    value=read_as[1]), "info")


def refused_form(form_class, make: Callable, key=None):
    """The form of this class refused in this request (with what was typed and its errors), else make()."""
    refused = g.get("refused_form")
    if refused is not None and isinstance(refused[0], form_class) and refused[1] == key:
        return refused[0]
    return make()


def saved(form: FlaskForm, action: Callable, message: Callable, target: Callable):
    """On a valid POST, run action; when it saved, flash message(result) and redirect to target(result).

    None when the form is to be shown (again), with what was typed and the errors beside their fields.
    """
    result = submit(form, action)
    if not result:
        return None
    flash(message(result), "success")
    return redirect(target(result))


def submit_or_keep(form: FlaskForm, action: Callable, done: str, key=None) -> bool:
    """For a small form posted from a page: save and say so (the caller redirects back to the page), or keep the
    refused form for the page to show again, with what was typed and each error beside its field (the caller
    renders the page with status 422; the page's sections ask refused_form() for it)."""
    if submit(form, action):
        flash(done, "success")
        return True
    g.refused_form = (form, key)
    return False


def submit_and_tell(form: FlaskForm, action: Callable, done: str) -> bool:
    """For a small form posted from a page that is then shown again by a redirect: save and say so, or say why
    not in a banner. What was typed is lost on the way: prefer submit_or_keep and show the page again."""
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
