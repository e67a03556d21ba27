"""Migrations build the whole schema from an empty database, match the models, and come down again."""

import os
import subprocess
import sys
import uuid

import pytest
from alembic import command
from flask_migrate import downgrade, upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from cxroadmap import REPOSITORY, create_app
from cxroadmap.extensions import db
from tests.conftest import POSTGRES_URL, config_for

TABLES = {"organisation", "stage_assessment", "readiness_assessment", "coalition_member", "team",
          "role_statement", "initiative", "benefit_estimate", "alembic_version", "user_account", "membership",
          "user_session", "audit_event", "issued_report", "status_update", "milestone", "milestone_slip",
          "dependency", "benefit_actual", "steering_meeting", "meeting_attendee", "meeting_agenda_initiative",
          "decision", "decision_initiative", "action_item", "assessment_round", "assessment_rater",
          "assessment_response"}


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    if not POSTGRES_URL:
        pytest.skip("CXROADMAP_TEST_DATABASE_URL is not set")
    name = f"cxroadmap_migrations_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(POSTGRES_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def test_upgrade_from_empty_matches_the_models_and_downgrades_cleanly(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == TABLES
        # No difference between the migrated schema and the models (alembic's own check).
        config = app.extensions["migrate"].migrate.get_config()
        command.check(config)
        downgrade(revision="base")
        assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
        db.engine.dispose()


def test_flask_db_upgrade_command_from_empty(empty_database, tmp_path):
    """The command `make run` uses, run as a user runs it."""
    environment = {**os.environ, "CXROADMAP_DATABASE_URL": empty_database, "CXROADMAP_SECRET_KEY": "x"}
    result = subprocess.run([sys.executable, "-m", "flask", "--app", "cxroadmap", "db", "upgrade"],
                            env=environment, cwd=REPOSITORY, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    engine = create_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


def test_initiatives_from_before_governance_get_a_first_status_update(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0003")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
                "require_two_factor, version, updated_by, updated_at) VALUES ('Old', 'old', '', 'EUR', 800, 'en', "
                "CURRENT_TIMESTAMP, false, 1, '', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO initiative (ref, title, description, readiness_question, status, health, progress, "
                "one_off_cost, annual_running_cost, archived, created_at, updated_at, organisation_id, version, "
                "updated_by) VALUES ('INIT-1', 'Old one', '', 'know_roles', 'in_progress', 'amber', 40, 0, 0, "
                "false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1, '')"))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT status, health, progress, author FROM status_update")).all()
        assert rows == [("in_progress", "amber", 40, "migration")]
        db.engine.dispose()


def test_assessment_rounds_arrive_beside_existing_data_and_leave_it_alone_on_the_way_down(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0005")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
                "require_two_factor, version, updated_by, updated_at) VALUES ('Old', 'old', '', 'EUR', 800, 'en', "
                "CURRENT_TIMESTAMP, false, 1, '', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO stage_assessment (organisation_id, stage, assessed_on, assessed_by, rationale, "
                "created_at) VALUES (1, 'explore', '2026-01-05', 'Board', 'Typed in.', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO assessment_round (organisation_id, title, opened_on, closes_on, opened_by, confirmed_by, "
                "confirmed_scores, overrule_reason, created_at) VALUES (1, 'Spring', '2026-03-01', '2026-03-15', "
                "'', '', '{}', '', CURRENT_TIMESTAMP)"))
            assert connection.execute(text("SELECT stage FROM stage_assessment")).scalar() == "explore"
        downgrade(revision="0005")
        assert "assessment_round" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM stage_assessment")).scalar() == 1
        db.engine.dispose()
