"""cxroadmap: an organisation's customer-experience strategy, kept in one Flask application."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, request
from werkzeug.middleware.proxy_fix import ProxyFix

from cxroadmap.database import begin_immediately
from cxroadmap.files import keep_secret
from cxroadmap.security import init_security

PACKAGE = Path(__file__).resolve().parent
REPOSITORY = PACKAGE.parent

# The areas, lower ones first: each is a package of its own whose `load(area)` registers all it contributes
# (see cxroadmap.areas). A new area is one folder and one line here.
AREAS = (
    "organisations", "audit", "accounts", "jobs", "notifications", "chat",
    "maturity", "readiness", "coalition",
    "journey", "assessments",
    "initiatives",
    "benefits", "measures",
    "cases",
    "governance",
    "surveys",
    "overview", "calendars",
    "exchange", "reports",
    "digests", "api",
    "sso",
)


def resource(name: str) -> Path:
    """A top-level folder of the repository (templates, migrations): inside the installed package, where the
    wheel carries it, or next to the package in a checkout."""
    inside = PACKAGE / name
    return inside if inside.is_dir() else REPOSITORY / name


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then CXROADMAP_* variables (or test_config)."""
    instance = os.environ.get("CXROADMAP_INSTANCE_PATH")
    app = Flask(__name__, instance_relative_config=True, template_folder=str(resource("templates")),
                instance_path=os.path.abspath(instance) if instance else None)
    register_request_state(app)
    register_converters(app)
    register_config(app, test_config)
    register_extensions(app)
    register_request_hooks(app)
    register_template_helpers(app)
    register_areas(app)
    register_errorhandlers(app)
    register_commands(app)
    register_proxies(app)
    return app


def register_proxies(app: Flask) -> None:
    """Trust X-Forwarded-* from exactly PROXY_HOPS proxies, outermost, so that everything in front of the
    application (the kept pages, the survey answers' lane) sees the client's address and scheme as the views do."""
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_request_state(app: Flask) -> None:
    from cxroadmap.web.request_state import RequestState

    app.app_ctx_globals_class = RequestState  # Flask's g: every slot a request carries, declared with its type


def register_converters(app: Flask) -> None:
    from cxroadmap.web import register_converters as register

    register(app)


def register_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object("cxroadmap.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CXROADMAP")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        # A file on this machine never drops a connection: no ping before every request's first query.
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            name: value for name, value in app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}).items()
            if name != "pool_pre_ping"}
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    secure = bool(app.config["SECURE_COOKIES"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="__Host-cxroadmap" if secure else "cxroadmap",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"]),
        WTF_CSRF_TIME_LIMIT=app.config["SESSION_ABSOLUTE_HOURS"] * 3600,
        # The cookie is written when its content changes, not re-signed on every page: it lives as long as the
        # server-side session may (SESSION_ABSOLUTE_HOURS), which ends it sooner when idle.
        SESSION_REFRESH_EACH_REQUEST=False,
    )


def database_uri(app: Flask) -> str:
    url = app.config.get("DATABASE_URL") or f"sqlite:///{Path(app.instance_path) / 'cxroadmap.sqlite'}"
    # psycopg (3) is the driver installed; plain postgresql:// URLs would ask SQLAlchemy for psycopg2.
    for plain in ("postgresql://", "postgres://"):
        if url.startswith(plain):
            url = "postgresql+psycopg://" + url[len(plain):]
    return url


def instance_secret_key(instance: Path) -> str:
    """The deployment's secret key, generated into the instance folder on first use and kept there."""
    path = instance / "secret_key"
    if not path.exists():
        keep_secret(path, secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from cxroadmap.extensions import babel, csrf, db, limiter, login_manager, migrate
    from cxroadmap.i18n import select_language

    db.init_app(app)
    migrate.init_app(app, db, directory=str(resource("migrations")), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    warn_of_per_process_limits(app)
    warn_of_unset_base_url(app)
    babel.init_app(app, default_locale="en", locale_selector=select_language,
                   default_translation_directories=str(Path(__file__).resolve().parent / "translations"))


def warn_of_unset_base_url(app: Flask) -> None:
    """Say at start when links in mail would point at this machine although the app serves for real (secure
    cookies, neither testing nor debugging): BASE_URL was most likely never set."""
    from urllib.parse import urlsplit

    if app.testing or app.debug or not app.config["SECURE_COOKIES"]:
        return
    host = urlsplit(str(app.config.get("BASE_URL") or "")).hostname
    if host in (None, "", "localhost", "127.0.0.1", "::1", "0.0.0.0"):  # noqa: S104 (compared, not bound)
        app.logger.warning(
            "BASE_URL is %r, so every link in mail (invitations, password resets, raters' links) points at this "
            "machine. Set CXROADMAP_BASE_URL to the address people reach this installation at (see the README).",
            app.config.get("BASE_URL"))


def worker_processes() -> int:
    """How many processes serve the app, as the server says it (gunicorn and others read WEB_CONCURRENCY)."""
    try:
        return max(int(os.environ.get("WEB_CONCURRENCY", "1")), 1)
    except ValueError:
        return 1


def warn_of_per_process_limits(app: Flask) -> None:
    """Say at start when the sign-in limits count per process, so several workers would multiply them."""
    workers = worker_processes()
    if workers > 1 and str(app.config.get("RATELIMIT_STORAGE_URI", "memory://")).startswith("memory://"):
        app.logger.warning(
            "%s worker processes count failed sign-ins in memory, each on its own: the sign-in limits are %s times "
            "as high as configured. Set RATELIMIT_STORAGE_URI to redis://… (see the README).", workers, workers)


def register_areas(app: Flask) -> None:
    from cxroadmap.areas import load_areas
    from cxroadmap.health import bp as health

    app.register_blueprint(health)
    load_areas(app, AREAS)


def register_request_hooks(app: Flask) -> None:
    from cxroadmap.extensions import db
    from cxroadmap.web import finish_request, refuse_control_characters

    # A URL value preprocessor runs before any other hook, and so before the first query of the request.
    @app.url_value_preprocessor
    def _begin(endpoint, values):
        # Only requests that may write take SQLite's write lock when their transaction begins; a view that reads
        # an upload first takes it when it has read it (web.reads_upload, web.start_writing).
        view = app.view_functions.get(endpoint)
        begin_immediately(request.method not in ("GET", "HEAD", "OPTIONS") and not getattr(view, "reads_upload",
                                                                                             False))

    app.before_request(refuse_control_characters)
    app.after_request(finish_request)

    @app.teardown_request
    def _end_transaction(exc):
        # What was not committed by now is undone here, and no lock outlives the request.
        db.session.rollback()
        begin_immediately(False)

    init_security(app)


def register_errorhandlers(app: Flask) -> None:
    from cxroadmap.apikit.problems import ApiProblem, answer_api_problem, answer_http_error, is_api_request
    from cxroadmap.errors import NotInOrganisation
    from cxroadmap.web import not_in_organisation, render_error

    def _error(error):
        # Under /api/ every error is a problem document, never a page.
        return answer_http_error(error) if is_api_request() else render_error(error)

    for code in (400, 401, 403, 404, 405, 406, 409, 412, 413, 415, 422, 429, 500):
        app.register_error_handler(code, _error)
    app.register_error_handler(NotInOrganisation, not_in_organisation)
    app.register_error_handler(ApiProblem, answer_api_problem)


def register_template_helpers(app: Flask) -> None:
    """What every template sees that belongs to no area (the areas add their own when they load)."""
    from cxroadmap.access import ROLES, can
    from cxroadmap.i18n import (
        LANGUAGES,
        current_language,
        format_count,
        format_day,
        format_moment,
        format_month,
        format_share,
        note_as_read,
        template_gettext,
    )
    from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES
    from cxroadmap.web import account_menu, cached_head, money, navigation, panels

    app.jinja_env.add_extension("jinja2.ext.do")
    # Globals rather than a context processor, so that imported macros see them too.
    app.jinja_env.globals.update(
        _=template_gettext, gettext=template_gettext,
        STAGES=STAGES, EXPERIENCE_LEVELS=EXPERIENCE_LEVELS, SERVICE_POSTURES=SERVICE_POSTURES, ROLES=ROLES, can=can,
        LANGUAGES=LANGUAGES, current_language=current_language, format_day=format_day, format_moment=format_moment,
        format_month=format_month, format_number=format_count, note_as_read=note_as_read,
        percent=format_share, money=money,
        navigation=navigation, account_menu=account_menu, cached_head=cached_head, panels=panels,
    )


def register_commands(app: Flask) -> None:
    from cxroadmap.cli import commands
    from cxroadmap.worker import worker_command

    for command in [*commands, worker_command]:
        app.cli.add_command(command)
