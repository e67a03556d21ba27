"""cxroadmap: an organisation's customer-experience strategy, kept in one Flask application."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask, g, request
from werkzeug.middleware.proxy_fix import ProxyFix

from cxroadmap.database import begin_immediately
from cxroadmap.files import keep_secret
from cxroadmap.security import init_security

REPOSITORY = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then CXROADMAP_* variables (or test_config)."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(REPOSITORY / "templates"))
    register_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_sign_in(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def register_config(app: Flask, test_config: dict | None) -> None:
    app.config.from_object("cxroadmap.config")
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
        app.config.from_prefixed_env("CXROADMAP")
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config["SQLALCHEMY_DATABASE_URI"] = database_uri(app)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    secure = bool(app.config["SECURE_COOKIES"])
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax", SESSION_COOKIE_SECURE=secure,
        SESSION_COOKIE_NAME="__Host-cxroadmap" if secure else "cxroadmap",
        PERMANENT_SESSION_LIFETIME=timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"]),
        WTF_CSRF_TIME_LIMIT=app.config["SESSION_ABSOLUTE_HOURS"] * 3600,
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
    migrate.init_app(app, db, directory=str(REPOSITORY / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, default_locale="en", locale_selector=select_language,
                   default_translation_directories=str(Path(__file__).resolve().parent / "translations"))
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def register_blueprints(app: Flask) -> None:
    import cxroadmap.charts.assessments  # noqa: F401 - draws the charts of the assessment results page
    import cxroadmap.governance.initiative_views  # noqa: F401 - adds its routes to the initiatives blueprint
    from cxroadmap.accounts.views import bp as accounts
    from cxroadmap.accounts.views import members
    from cxroadmap.assessments.views import bp as assessments
    from cxroadmap.assessments.views import rater_bp as rater
    from cxroadmap.audit.views import bp as audit
    from cxroadmap.benefits.views import bp as benefits
    from cxroadmap.coalition.views import bp as coalition
    from cxroadmap.governance.views import bp as governance
    from cxroadmap.health import bp as health
    from cxroadmap.initiatives.views import bp as initiatives
    from cxroadmap.maturity.views import bp as maturity
    from cxroadmap.organisations.views import bp as organisations
    from cxroadmap.organisations.views import settings
    from cxroadmap.overview.views import bp as overview
    from cxroadmap.readiness.views import bp as readiness
    from cxroadmap.reports.views import bp as reports

    for blueprint in (health, accounts, organisations, settings, members, audit, overview, maturity, readiness,
                      coalition, initiatives, benefits, reports, governance, assessments, rater):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    # A URL value preprocessor runs before any other hook, and so before the first query of the request.
    @app.url_value_preprocessor
    def _fresh_request(endpoint, values):
        # Each request starts from nothing: in tests one app context serves many requests, and one
        # request's user, organisation or membership must never be another's.
        for name in list(g):
            g.pop(name)
        # Only requests that may write take SQLite's write lock when their transaction begins.
        begin_immediately(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _end_transaction(exc):
        # One request, one transaction: what a view did not commit is undone here, and no lock outlives it.
        from cxroadmap.extensions import db

        db.session.rollback()
        begin_immediately(False)

    init_security(app)


def register_sign_in(app: Flask) -> None:
    """Sessions live on the server; each request finds its user through its session's token, then is checked."""
    from flask_login import current_user

    from cxroadmap.accounts.authz import enforce_access
    from cxroadmap.accounts.services import SessionLimits, session_by_token, touch_session
    from cxroadmap.audit.services import Actor, reset_actor, set_actor
    from cxroadmap.extensions import db, login_manager
    from cxroadmap.timeutil import utcnow

    limits = SessionLimits(idle=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
                           absolute=timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"]))
    login_manager.session_protection = None  # the server-side session is the protection

    @login_manager.user_loader
    def _load_user(token: str):
        now = utcnow()
        record = session_by_token(token, limits, now)
        if record is None:
            return None
        g.pending_second_factor = record.pending_second_factor
        if request.method in ("GET", "HEAD"):
            # On its own connection: a writing request holds SQLite's lock on its own, and would wait on itself.
            with db.engine.begin() as connection:
                touch_session(connection, record, now)
        user = record.user
        user.session_token = token
        return user

    @app.before_request
    def _who_and_may_they():
        address = request.remote_addr or ""
        if current_user.is_authenticated:
            g.audit_token = set_actor(Actor(current_user.email, current_user.id, address))
        else:
            g.audit_token = set_actor(Actor("anonymous", None, address))
        return enforce_access()

    @app.teardown_request
    def _forget_actor(exc):
        token = g.pop("audit_token", None)
        if token is not None:
            reset_actor(token)


def register_errorhandlers(app: Flask) -> None:
    from cxroadmap.web import render_error

    for code in (400, 401, 403, 404, 405, 413, 422, 429, 500):
        app.register_error_handler(code, render_error)


def register_template_helpers(app: Flask) -> None:
    from cxroadmap.web import template_helpers

    app.jinja_env.add_extension("jinja2.ext.do")
    # Globals rather than a context processor, so that imported macros see them too.
    app.jinja_env.globals.update(template_helpers())


def register_commands(app: Flask) -> None:
    from cxroadmap.cli import commands

    for command in commands:
        app.cli.add_command(command)
