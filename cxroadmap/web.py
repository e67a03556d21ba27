"""What every page shares: organisation-scoped blueprints, forms and their errors, the one commit point,
error pages, PDF and SVG responses, formatting."""

import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import Blueprint, Response, abort, current_app, flash, g, redirect, render_template, request, session
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import Conflict, HTTPException, InternalServerError, NotFound, RequestEntityTooLarge
from werkzeug.routing import BaseConverter, IntegerConverter

from cxroadmap.access import SAFE_METHODS
from cxroadmap.areas import contributions, registry
from cxroadmap.database import begin_immediately, end_reading
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l, current_language, format_day
from cxroadmap.kept import Kept
from cxroadmap.money import format_money
from cxroadmap.organisations.data_version import kept_for_version, organisation_with_stamp

# How an organisation's page reads its organisation: with its data stamp, in one query. Signing in (accounts, an
# area above this module) replaces it with one that also reads the browser's session in that query.
_organisation_reader: list[Callable[[str], object]] = [organisation_with_stamp]


def read_organisations_with(reader: Callable[[str], object]) -> None:
    """Have organisation pages read their organisation (or None) with reader(slug)."""
    _organisation_reader[0] = reader


def organisation_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /o/<slug>/ whose views find the organisation in g.organisation (404 if unknown)."""
    blueprint = Blueprint(name, import_name, url_prefix="/o/<slug>")

    @blueprint.url_value_preprocessor
    def _load_organisation(endpoint, values):
        # An unknown slug is answered only after the access check, exactly as an organisation one has no
        # role in: a sign-in page for the anonymous, the same 404 for everyone else, so slugs cannot be probed.
        organisation = _organisation_reader[0](values.pop("slug"))
        if organisation is None:
            g.unknown_organisation = True
        else:
            g.organisation = organisation

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


# -- reading what a URL carries -------------------------------------------------------------------------
# Every value a path or query string brings is read here, and anything out of range is a 404 (a path that
# matches nothing) or the default (a query value): never an overflow in Python or the database.

ID_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider, so this bound serves both
_WHOLE = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²".isdigit() is true and int("²") fails
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 30)  # room for a day either side of every filter


class DatabaseId(IntegerConverter):
    """<int:…> in a route: a whole number from 0 that fits an id column; any other path matches nothing."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


class PlainSegment(BaseConverter):
    """<slug>, <ref>, <filename>: one path segment of at most 300 characters without a control character
    (PostgreSQL refuses a NUL in any text)."""

    regex = r"[^/\x00-\x1f\x7f]{1,300}"


def register_converters(app) -> None:
    """The converters every route's values pass through (before any blueprint is registered)."""
    app.url_map.converters.update(int=DatabaseId, default=PlainSegment, string=PlainSegment)


def refuse_control_characters():
    """Before every request: a query string carrying a control character is a 400, whatever the page."""
    if any(_CONTROL.search(key) or _CONTROL.search(value) for key, value in request.args.items(multi=True)):
        abort(400)


def query_int(name: str, default: int | None = None, low: int = 0, high: int = ID_MAX) -> int | None:
    """?name= as a whole number from low to high; default when missing, not ASCII digits, or out of range."""
    text = request.args.get(name, "")
    if not _WHOLE.fullmatch(text):
        return default
    value = int(text)
    return value if low <= value <= high else default


def query_day(name: str) -> date | None:
    """?name= as an ISO date between 1900 and 9999; None when missing or not such a date."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


# Text on a page's chart, in CSS pixels: a chart is drawn at the width it is shown (?w=, chosen by the page for
# the window's width), so this is the size a reader sees.
CHART_TEXT = 12


def chart_width(default: int) -> int:
    """The width a page asked its chart to be drawn at (?w=, 280–1400), else default."""
    value = query_int("w")
    return min(max(value, 280), 1400) if value is not None else default


def page_number() -> int:
    """The ?page= of a list, 1 when missing or not a positive whole number."""
    return query_int("page", 1, low=1, high=999_999)


def render_error(error):
    """Any error as a page: what the request had changed is undone first. A form sent with more than
    MAX_CONTENT_LENGTH (a file too large) is shown again with that said, when its page can be shown."""
    db.session.rollback()
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
        for action in g.pop("after_commit", []):
            action()
    except (IntegrityError, StaleDataError):
        current_app.logger.exception("the database refused the changes of %s %s", request.method, request.path)
        db.session.rollback()
        # Answered by the handler registered for 409: a page, or a problem document under /api/.
        return current_app.make_response(current_app.handle_http_exception(Conflict(_(
            "Someone else saved a change at the same moment, or it clashes with something already saved. "
            "Nothing was saved."))))
    return response


def reads_upload(view: Callable) -> Callable:
    """Mark a view that reads an uploaded file before it writes: its request begins without SQLite's write lock (a
    POST otherwise takes it before its first query), so a large or hostile file being read or previewed holds
    back nobody else's writes. The view calls start_writing() once the file is read, before it writes."""
    view.reads_upload = True
    return view


def start_writing() -> None:
    """From here on this request writes: the transaction it read in ends (what it loaded stays loaded) and the
    next one takes SQLite's write lock at once, as a writing request's does."""
    end_reading(db.session())
    begin_immediately(True)


def after_commit(action: Callable[[], None]) -> None:
    """Run action once this request's changes are committed: a mail must not link to what was never saved."""
    g.setdefault("after_commit", []).append(action)


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


def money(amount, whole: bool = True) -> str:
    """An amount in the organisation's currency, written the way the reader's language writes it, in whole units
    (the rule is money.format_money's)."""
    return format_money(amount, g.organisation.currency, current_language(), whole=whole)


# -- parts of pages kept between views -------------------------------------------------------------------

KEPT_BODIES = Kept(64)  # page bodies (tens of KB each) of the organisations being looked at
KEPT_PARTS = Kept(512)  # small: the bar, the reader's menu and the head links, for each page, role and language


def kept_fragment(template: str, on: date, settings: tuple, context: Callable[[], dict]) -> Markup:
    """The template rendered with context() once for each version of the organisation's data, day, language,
    role and settings (the configuration it depends on), and reused until one of them changes: for the part of
    a page drawn only from the organisation's data (never from the reader's own, a form or a flash), such as
    the overview's body.

    The version is the stamp every committed write of the organisation's data changes (in the database, so
    every process sees it); a transaction holding an uncommitted change of its own renders afresh.
    """
    membership = g.get("membership")
    key = (template, on, current_language(), membership.role if membership else None, settings)
    return kept_for_version(KEPT_BODIES, g.organisation, key,
                            lambda: Markup(render_template(template, **context())))


def kept_head() -> Markup:
    """The stylesheets and scripts every page links to (the same for every page under one address)."""
    return KEPT_PARTS.get(("_head.html", request.script_root), lambda: Markup(render_template("_head.html")))


# The bar's menus, in their order: each area adds its entries to the menu it belongs to (`MenuEntry`), so the bar
# stays one short row in every language however many areas arrive. A menu of one entry is drawn as a plain link.
MENUS = {"overview": _l("Overview"), "strategy": _l("Strategy"), "roadmap": _l("Roadmap"),
         "governance": _l("Governance"), "people": _l("People"), "admin": _l("Admin")}


@dataclass(frozen=True)
class MenuEntry:
    """A page in the bar: in which menu, its endpoint, its label, the endpoints (or their prefixes) that mark it as
    the current one, the role it needs to be shown (None: any member), and its place in the menu."""

    menu: str
    endpoint: str
    label: object
    covers: tuple[str, ...]
    role: str | None = None
    place: int = 0


def menus() -> list[tuple[str, list[MenuEntry]]]:
    """(title, entries) of each menu that has entries, in the bar's order."""
    def arrange():
        entries = contributions(MenuEntry)
        unknown = {entry.menu for entry in entries} - set(MENUS)
        if unknown:
            raise RuntimeError(f"menu entries name menus that do not exist: {sorted(unknown)}")
        return [(title, sorted((e for e in entries if e.menu == key), key=lambda e: e.place))
                for key, title in MENUS.items() if any(e.menu == key for e in entries)]
    return registry().derived("menus", arrange)


def navigation() -> Markup:
    """The bar's product name, the organisation's logo and menus for this page: the same for every page of one
    endpoint, organisation (as named and drawn), role and language (and the address the application is served
    under), so rendered once for each of them."""
    organisation, membership = g.get("organisation"), g.get("membership")
    endpoint = request.endpoint or ""
    shown = None if organisation is None else (
        organisation.id, organisation.slug, organisation.name, organisation.logo_sha256, organisation.logo_width,
        organisation.logo_height)
    key = ("_navigation.html", request.script_root, shown, membership.role if membership else None,
           current_language(), endpoint)
    return KEPT_PARTS.get(key, lambda: Markup(render_template("_navigation.html", here=endpoint, menus=menus())))


_CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"  # where the token goes: a text no name can guess
# The signed CSRF token of the sign-out form, for each browser session's own token: signed again every few
# minutes rather than on every page (a signed token is good for WTF_CSRF_TIME_LIMIT, as long as a session lives).
_SIGNED_TOKENS = Kept(1024)
SIGN_AGAIN_SECONDS = 600


def _sign_out_token() -> str:
    if g.get("csrf_token"):  # signed already for a form of this page
        return generate_csrf()
    raw = session.get("csrf_token")
    if not raw:
        return generate_csrf()
    period = int(time.time() // SIGN_AGAIN_SECONDS)
    return _SIGNED_TOKENS.get((raw, period), generate_csrf)


def account_menu() -> Markup:
    """The signed-in reader's menu: kept for each reader (as named), organisation, role and language; the sign-out
    form's CSRF token, which belongs to the browser's session, is put in on every page."""
    organisation, membership = g.get("organisation"), g.get("membership")
    key = ("_account_menu.html", request.script_root, current_user.id, current_user.name,
           organisation.name if organisation is not None else None, membership.role if membership else None,
           current_language())
    menu = KEPT_PARTS.get(key, lambda: render_template("_account_menu.html", csrf_token=lambda: _CSRF_HOLE))
    return Markup(menu.replace(_CSRF_HOLE, _sign_out_token()))
