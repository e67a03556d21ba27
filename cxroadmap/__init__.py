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
    register_converters(app)
    register_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
    register_errorhandlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


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
    babel.init_app(app, default_locale="en", locale_selector=select_language,
                   default_translation_directories=str(Path(__file__).resolve().parent / "translations"))
    if app.config["PROXY_HOPS"]:
        hops = int(app.config["PROXY_HOPS"])
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


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


def register_blueprints(app: Flask) -> None:
    from cxroadmap.accounts.email_views import invitations, password
    from cxroadmap.accounts.organisation_views import bp as organisations
    from cxroadmap.accounts.organisation_views import settings
    from cxroadmap.accounts.views import bp as accounts
    from cxroadmap.accounts.views import members
    from cxroadmap.api import init_api
    from cxroadmap.assessments.views import bp as assessments
    from cxroadmap.assessments.views import rater_bp as rater
    from cxroadmap.audit.views import bp as audit
    from cxroadmap.benefits.views import bp as benefits
    from cxroadmap.coalition.views import bp as coalition
    from cxroadmap.exchange.views import bp as sheets
    from cxroadmap.governance.initiative_views import bp as tracking
    from cxroadmap.governance.views import bp as governance
    from cxroadmap.health import bp as health
    from cxroadmap.initiatives.touchpoint_views import bp as initiative_touchpoints
    from cxroadmap.initiatives.views import bp as initiatives
    from cxroadmap.jobs.views import bp as jobs
    from cxroadmap.journey.views import bp as journey
    from cxroadmap.maturity.views import bp as maturity
    from cxroadmap.measures.views import bp as measures
    from cxroadmap.notifications.views import bp as notifications
    from cxroadmap.notifications.views import mail_links
    from cxroadmap.overview.views import bp as overview
    from cxroadmap.readiness.views import bp as readiness
    from cxroadmap.reports.views import bp as reports

    for blueprint in (health, accounts, organisations, settings, members, audit, overview, maturity, readiness,
                      coalition, journey, initiatives, initiative_touchpoints, benefits, tracking, measures,
                      reports, governance, sheets, password, invitations, notifications, mail_links,
                      assessments, rater, jobs):
        app.register_blueprint(blueprint)
    init_api(app)


def register_request_hooks(app: Flask) -> None:
    from cxroadmap.accounts.kept_pages import init_app as init_kept_pages
    from cxroadmap.accounts.sign_in import init_app as init_sign_in
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
    init_sign_in(app)
    init_kept_pages(app)


def register_errorhandlers(app: Flask) -> None:
    from cxroadmap.api.problems import ApiProblem, answer_api_problem, answer_http_error, is_api_request
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
    from cxroadmap.access import ROLES, can
    from cxroadmap.audit.labels import action_name, actor_text, object_name, visible_changes
    from cxroadmap.benefits.kinds import BENEFIT_KINDS
    from cxroadmap.coalition.roles import COALITION_ROLES
    from cxroadmap.i18n import (
        LANGUAGES,
        current_language,
        format_count,
        format_day,
        format_moment,
        format_month,
        format_share,
        template_gettext,
    )
    from cxroadmap.initiatives.states import HEALTHS, STATUSES
    from cxroadmap.journey.formatting import format_gap, format_score
    from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS, SHORT_LABELS
    from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES
    from cxroadmap.web import account_menu, kept_head, money, navigation

    app.jinja_env.add_extension("jinja2.ext.do")
    app.jinja_env.globals.update(_=template_gettext, gettext=template_gettext)
    # Globals rather than a context processor, so that imported macros see them too.
    app.jinja_env.globals.update(
        STAGES=STAGES, EXPERIENCE_LEVELS=EXPERIENCE_LEVELS, SERVICE_POSTURES=SERVICE_POSTURES,
        QUESTIONS=QUESTIONS, SHORT_LABELS=SHORT_LABELS, SCORE_LABELS=SCORE_LABELS,
        STATUSES=STATUSES, HEALTHS=HEALTHS, COALITION_ROLES=COALITION_ROLES, BENEFIT_KINDS=BENEFIT_KINDS,
        format_day=format_day, money=money, percent=format_share, LANGUAGES=LANGUAGES,
        current_language=current_language, audit_object=object_name, audit_action=action_name, can=can,
        audit_actor=actor_text,
        ROLES=ROLES, audit_changes=visible_changes, format_moment=format_moment,
        format_month=format_month, gap_text=format_gap, score_text=format_score, format_number=format_count,
        navigation=navigation, account_menu=account_menu, kept_head=kept_head,
    )
    register_audit_references()


def register_audit_references() -> None:
    """How the trail names the objects its recorded ids point to (the areas that own them are above audit)."""
    from flask import g
    from sqlalchemy import select

    from cxroadmap.accounts.models import User
    from cxroadmap.audit.labels import ORGANISATION_KEYS, REFERENCES
    from cxroadmap.coalition.models import CoalitionMember, Team
    from cxroadmap.extensions import db
    from cxroadmap.governance.models import SteeringMeeting
    from cxroadmap.initiatives.models import Initiative
    from cxroadmap.journey.models import Touchpoint

    def named(model, say):
        def name(identity: int) -> str | None:
            found = db.session.get(model, identity)
            return say(found) if found is not None else None
        name.model = model  # so that a page of the trail can load all it names at once (audit.labels.preload)
        return name

    def touchpoint_names(organisation_id: int) -> dict[str, str]:
        # Every touchpoint of the organisation, read once a request: a page of the trail names them all.
        kept = g.setdefault("touchpoint_names", {})
        if organisation_id not in kept:
            kept[organisation_id] = dict(db.session.execute(
                select(Touchpoint.key, Touchpoint.name).where(Touchpoint.organisation_id == organisation_id)).all())
        return kept[organisation_id]

    ORGANISATION_KEYS.update({"touchpoints": touchpoint_names})
    REFERENCES.update({
        "owner_id": named(CoalitionMember, lambda m: m.name), "user_id": named(User, lambda u: u.name),
        "team_id": named(Team, lambda t: t.name), "meeting_id": named(SteeringMeeting, lambda m: m.title),
        "initiative_id": named(Initiative, lambda i: f"{i.ref} {i.title}"),
        "depends_on_id": named(Initiative, lambda i: f"{i.ref} {i.title}"),
    })


def register_commands(app: Flask) -> None:
    from cxroadmap.cli import commands
    from cxroadmap.worker import worker_command

    for command in [*commands, worker_command]:
        app.cli.add_command(command)
