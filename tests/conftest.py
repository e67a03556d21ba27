"""The test app on SQLite, or on PostgreSQL when CXROADMAP_TEST_DATABASE_URL names one; schema from migrations."""

import os
import re

import pytest
from flask_migrate import upgrade
from sqlalchemy import event, text

from cxroadmap import create_app
from cxroadmap.extensions import db

POSTGRES_URL = os.environ.get("CXROADMAP_TEST_DATABASE_URL")


def pytest_report_header(config):
    if POSTGRES_URL:
        return f"database: {re.sub(r'//[^@/]*@', '//…@', POSTGRES_URL)}"
    return "database: SQLite only (set CXROADMAP_TEST_DATABASE_URL to run on PostgreSQL as well)"


def pytest_terminal_summary(terminalreporter):
    terminalreporter.write_line(
        "ran on PostgreSQL" if POSTGRES_URL else "ran on SQLite alone; CXROADMAP_TEST_DATABASE_URL was not set")


def config_for(database_url: str, **overrides) -> dict:
    return {"TESTING": True, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret",
            "WTF_CSRF_ENABLED": False, **overrides}


@pytest.fixture(scope="session")
def database_url(tmp_path_factory) -> str:
    if POSTGRES_URL:
        return POSTGRES_URL
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite'}"


@pytest.fixture(scope="session")
def app(database_url):
    app = create_app(config_for(database_url))
    with app.app_context():
        if db.engine.dialect.name == "postgresql":
            with db.engine.begin() as connection:
                connection.execute(text("DROP SCHEMA public CASCADE"))
                connection.execute(text("CREATE SCHEMA public"))
        upgrade()
    return app


@pytest.fixture(autouse=True)
def app_context(app):
    """Each test runs in an app context and leaves every table empty behind it."""
    with app.app_context():
        yield
        db.session.rollback()
        for table in reversed(db.metadata.sorted_tables):
            db.session.execute(table.delete())
        db.session.commit()
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


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
