"""cxroadmap: an organisation's customer-experience strategy, kept in one Flask application."""

import os
import secrets
from pathlib import Path

from flask import Flask, request

from cxroadmap.database import begin_immediately

REPOSITORY = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application: defaults, then instance/config.py, then CXROADMAP_* variables (or test_config)."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(REPOSITORY / "templates"))
    register_config(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_request_hooks(app)
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
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip()


def register_extensions(app: Flask) -> None:
    from cxroadmap.extensions import csrf, db, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(REPOSITORY / "migrations"), render_as_batch=True)
    csrf.init_app(app)


def register_blueprints(app: Flask) -> None:
    from cxroadmap.benefits.views import bp as benefits
    from cxroadmap.coalition.views import bp as coalition
    from cxroadmap.health import bp as health
    from cxroadmap.initiatives.views import bp as initiatives
    from cxroadmap.maturity.views import bp as maturity
    from cxroadmap.organisations.views import bp as organisations
    from cxroadmap.organisations.views import settings
    from cxroadmap.overview.views import bp as overview
    from cxroadmap.readiness.views import bp as readiness

    for blueprint in (health, organisations, settings, overview, maturity, readiness, coalition, initiatives, benefits):
        app.register_blueprint(blueprint)


def register_request_hooks(app: Flask) -> None:
    # A URL value preprocessor runs before any other hook, and so before the first query of the request.
    @app.url_value_preprocessor
    def _transaction_kind(endpoint, values):
        # Only requests that may write take SQLite's write lock when their transaction begins.
        begin_immediately(request.method not in ("GET", "HEAD", "OPTIONS"))

    @app.teardown_request
    def _reset_transaction_kind(exc):
        begin_immediately(False)


def register_errorhandlers(app: Flask) -> None:
    from cxroadmap.web import render_error

    for code in (400, 403, 404, 405, 413, 422, 500):
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
