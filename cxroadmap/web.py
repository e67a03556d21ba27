"""What every page shares: organisation-scoped blueprints, loading objects or 404, forms, errors, formatting."""

from collections.abc import Callable

from flask import Blueprint, abort, current_app, flash, g, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException, InternalServerError

from cxroadmap.accounts.authz import can
from cxroadmap.accounts.roles import ROLES
from cxroadmap.audit.labels import action_name, object_name, visible_changes
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.coalition.roles import COALITION_ROLES
from cxroadmap.errors import DomainError, NotFound
from cxroadmap.extensions import db
from cxroadmap.i18n import LANGUAGES, _, current_language, format_day, format_moment, format_share
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.maturity.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES
from cxroadmap.money import format_money
from cxroadmap.organisations.services import get_in_organisation, organisation_by_slug
from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS, SHORT_LABELS


def organisation_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /o/<slug>/ whose views find the organisation in g.organisation (404 if unknown)."""
    blueprint = Blueprint(name, import_name, url_prefix="/o/<slug>")

    @blueprint.url_value_preprocessor
    def _load_organisation(endpoint, values):
        try:
            g.organisation = organisation_by_slug(values.pop("slug"))
        except NotFound:
            abort(404)

    @blueprint.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values and "organisation" in g:
            values["slug"] = g.organisation.slug

    return blueprint


def load_or_404(model, **criteria):
    """The object of model in the current organisation matching criteria, or a 404 page."""
    try:
        return get_in_organisation(g.organisation, model, **criteria)
    except NotFound:
        abort(404)


def submit(form: FlaskForm, action: Callable):
    """On a valid POST, run action and commit its result; on a domain refusal, put the errors on the form.

    Returns what action returned, or None when the form is to be shown (again). The commit is inside, so a
    refusal by the database (a concurrent edit) comes back as a form error too.
    """
    if not form.validate_on_submit():
        if request.method == "POST":
            _add_domain_problems(form)
        return None
    try:
        result = action()
        db.session.commit()
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
    return result


def _add_domain_problems(form: FlaskForm) -> None:
    """Every problem at once: a form whose fields did not all parse still hears what its service would refuse
    (due before start) beside the fields that did parse. Forms offer that as domain_problems(), which checks
    and writes nothing."""
    check = getattr(form, "domain_problems", None)
    if check is None:
        return
    try:
        problems = check()
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


def refused_form(form_class, make: Callable, key=None):
    """The form of this class refused in this request (with what was typed and its errors), else make()."""
    refused = g.get("refused_form")
    if refused is not None and isinstance(refused[0], form_class) and refused[1] == key:
        return refused[0]
    return make()


def submit_and_tell(form: FlaskForm, action: Callable, done: str, key=None) -> bool:
    """For a small form posted from a page: save and say so (the caller redirects back to the page), or keep the
    refused form for the page to show again, with what was typed and each error beside its field (the caller
    renders the page with status 422; sections ask refused_form() for it)."""
    if submit(form, action):
        flash(done, "success")
        return True
    g.refused_form = (form, key)
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


# Text on a page's chart, in CSS pixels: a chart is drawn at the width it is shown (?w=, chosen by the page for
# the window's width), so this is the size a reader sees.
CHART_TEXT = 12


def chart_width(default: int) -> int:
    """The width a page asked its chart to be drawn at (?w=, 280–1400), else default."""
    value = request.args.get("w", "")
    return min(max(int(value), 280), 1400) if value.isdigit() and len(value) < 6 else default


def render_error(error):
    if not isinstance(error, HTTPException):
        error = InternalServerError()
    db.session.rollback()
    return render_template("errors/error.html", error=error), error.code


def money(amount, whole: bool = False) -> str:
    """An amount in the organisation's currency, written the way the reader's language writes it."""
    return format_money(amount, g.organisation.currency, current_language(), whole=whole)


def template_helpers() -> dict:
    return {
        "STAGES": STAGES, "EXPERIENCE_LEVELS": EXPERIENCE_LEVELS, "SERVICE_POSTURES": SERVICE_POSTURES,
        "QUESTIONS": QUESTIONS, "SHORT_LABELS": SHORT_LABELS, "SCORE_LABELS": SCORE_LABELS,
        "STATUSES": STATUSES, "HEALTHS": HEALTHS, "COALITION_ROLES": COALITION_ROLES,
        "BENEFIT_KINDS": BENEFIT_KINDS,
        "format_day": format_day, "money": money, "percent": format_share,
        "LANGUAGES": LANGUAGES, "current_language": current_language,
        "audit_object": object_name, "audit_action": action_name, "audit_changes": visible_changes,
        "format_moment": format_moment, "can": can, "ROLES": ROLES,
    }
