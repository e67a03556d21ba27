"""The test app on SQLite, or on PostgreSQL when CXROADMAP_TEST_DATABASE_URL names one; schema from migrations."""

import contextvars
import importlib.util
import os
import re

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade
from hypothesis import settings
from sqlalchemy import event, text

from cxroadmap import REPOSITORY, create_app
from cxroadmap.accounts.services import start_session
from cxroadmap.extensions import db, limiter
from cxroadmap.jobs.runner import wait_for_soon
from tests import factories

_spec = importlib.util.spec_from_file_location(
    "accounts_migration", REPOSITORY / "migrations/versions/0002_accounts_audit_versions.py")
_migration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_migration)
APPEND_ONLY_SQLITE = _migration.APPEND_ONLY_SQLITE

POSTGRES_URL = os.environ.get("CXROADMAP_TEST_DATABASE_URL")

# The command line speaks the language of the shell (LANG); the tests expect English unless they ask otherwise.
os.environ["CXROADMAP_LANGUAGE"] = "en"

# Locally hypothesis explores afresh each run; in CI it replays a fixed sequence, so a run is repeatable.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_report_header(config):
    if POSTGRES_URL:
        return f"database: {re.sub(r'//[^@/]*@', '//…@', POSTGRES_URL)}"
    return "database: SQLite only (set CXROADMAP_TEST_DATABASE_URL to run on PostgreSQL as well)"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        "ran on PostgreSQL" if POSTGRES_URL else "ran on SQLite alone; CXROADMAP_TEST_DATABASE_URL was not set")


def config_for(database_url: str, **overrides) -> dict:
    return {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False, "SECURE_COOKIES": False, "SURVEY_SETTLE_SECONDS": 0, **overrides}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


class RequestClient(FlaskClient):
    """A test browser whose every request runs as it does in production: in an app context of its own.

    The test's own app context (for factories and direct queries) is not shared with the request: the request
    sees only what the test committed, and the test sees the request's changes when it reads them again. What the
    request left to this process's thread for short work (a public answer settled) is done by the time the test
    looks, as it is a moment later for a person (tests/surveys/test_settling.py waits for it as a person would).
    """

    waits_for_background = True

    def open(self, *args, **kwargs):
        if has_app_context():
            db.session.commit()  # the test's data is saved, and its transaction no longer holds SQLite back
        response = contextvars.Context().run(super().open, *args, **kwargs)
        if self.waits_for_background:
            wait_for_soon(self.application)
        if has_app_context():
            db.session.expire_all()
        return response


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    app = create_app(config_for(database_url))
    app.test_client_class = RequestClient
    app.instance_path = str(tmp_path_factory.mktemp("instance"))  # files the tests make stay out of the repository
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
    return app


def empty_every_table():
    """Delete every row, the append-only audit trail's too (which only the tests may do)."""
    db.session.rollback()
    tables = [table.name for table in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        # The trail refuses TRUNCATE by a trigger of its own, which only the tests set aside (and only here).
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate"))
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_truncate"))
    else:
        db.session.execute(text("DROP TRIGGER IF EXISTS audit_event_no_delete"))
        for table in tables:
            db.session.execute(text(f"DELETE FROM {table}"))
        db.session.execute(text(APPEND_ONLY_SQLITE[1]))
    db.session.commit()


@pytest.fixture(autouse=True)
def app_context(app):
    """Each test has an app context for its own database work, and leaves every table empty behind it."""
    from cxroadmap.caches import empty_every_cache
    from cxroadmap.jobs.runner import wait_for_jobs

    with app.app_context():
        yield
        wait_for_jobs(app)  # what the test's requests started in the background ends before the tables are emptied
        empty_every_table()
        empty_every_cache()  # as a new process would: the next test's rows may have this test's ids
        db.session.remove()
        limiter.reset()


def sign_in(client, user) -> None:
    """Give the test client a signed-in session for user, as the sign-in page would."""
    token = start_session(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = token
        session["_fresh"] = True
        session.permanent = True


@pytest.fixture
def admin_user():
    """A site administrator, who becomes administrator of every organisation the factories make."""
    return factories.UserFactory(name="Ada Admin", email="ada@example.com", site_admin=True)


@pytest.fixture
def client(app, admin_user):
    """A browser signed in as the administrator of every organisation the test creates."""
    client = app.test_client()
    sign_in(client, admin_user)
    return client


@pytest.fixture
def anonymous(app):
    return app.test_client()


@pytest.fixture
def client_as(app):
    """client_as(role, organisation) -> a browser signed in as a fresh member with that role."""
    def make(role, organisation, **user_fields):
        user = factories.UserFactory(**user_fields)
        factories.MembershipFactory(user=user, organisation_id=organisation.id, role=role)
        browser = app.test_client()
        sign_in(browser, user)
        browser.user = user
        return browser
    return make


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def count_queries(app):
    """Counts the SQL statements run while the returned counter is used as a context manager."""

    class Counter:
        def __init__(self):
            self.statements = []

        def _count(self, conn, cursor, statement, *args):
            if not statement.lstrip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                self.statements.append(statement)

        def __enter__(self):
            self.statements = []
            event.listen(db.engine, "before_cursor_execute", self._count)
            return self

        def __exit__(self, *exc):
            event.remove(db.engine, "before_cursor_execute", self._count)

        @property
        def count(self):
            return len(self.statements)

    return Counter()


@pytest.fixture
def smtp(app, monkeypatch):
    """A real SMTP server (aiosmtpd) on a loopback port; the app sends its mail there. Yields its inbox."""
    from cxroadmap import mail
    from cxroadmap.jobs.runner import wait_for_jobs
    from tests.mailtesting import start_smtp

    controller, inbox, port = start_smtp()
    inbox.settle = lambda: wait_for_jobs(app)  # what requests queued is sent by the background work
    monkeypatch.setattr(mail, "_UTF8_SERVERS", {})  # what an earlier server on the same port announced
    monkeypatch.setitem(app.config, "MAIL_SERVER", "127.0.0.1")
    monkeypatch.setitem(app.config, "MAIL_PORT", port)
    monkeypatch.setitem(app.config, "BASE_URL", "https://cx.example.com")
    try:
        yield inbox
    finally:
        wait_for_jobs(app)  # nothing still sending to this server when it stops
        controller.stop()


@pytest.fixture
def receiver(app, monkeypatch):
    """A real HTTP server on a loopback port that checks webhook signatures; private addresses allowed for it."""
    from tests.mailtesting import Receiver

    monkeypatch.setitem(app.config, "ALLOW_PRIVATE_WEBHOOKS", True)
    server = Receiver()
    try:
        yield server
    finally:
        server.stop()
