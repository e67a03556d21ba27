"""Migrations build the whole schema from an empty database, match the models, and come down again."""

import os
import re
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
          "decision", "decision_initiative", "action_item", "journey_stage", "touchpoint", "touchpoint_score",
          "initiative_touchpoint", "kpi", "kpi_reading", "survey_comment", "initiative_kpi", "access_token",
          "invitation", "password_reset", "sent_notice", "notification_settings", "webhook_endpoint",
          "webhook_delivery",
          "assessment_round", "assessment_rater", "assessment_response", "organisation_data_version", "job",
          "heartbeat", "queued_mail", "scheduler_lease", "scheduled_run", "calendar_feed", "chat_channel",
          "chat_message", "identity_provider", "linked_identity", "sso_group_mapping", "sso_requirement",
          "survey", "survey_version", "survey_answer", "survey_privacy", "case_settings", "follow_up_case",
          "survey_invitation", "survey_inviting", "survey_suppression",
          "survey_theme", "organisation_data_change", "survey_tally"}
# Tables holding only what is worked out again from the rest (no one typed it), or a process's working state
# (the heartbeat, the scheduler's lease and last runs): dropping them loses nothing.
DERIVED_TABLES = {"organisation_data_version", "organisation_data_change", "heartbeat", "scheduler_lease",
                  "scheduled_run", "survey_tally"}


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
    # The chain is printed in the order of its numbers (0001, 0002, …; 0015 left unused when it was renumbered).
    steps = [int(to) for to in re.findall(r"Running upgrade \d* ?-> (\d+)", result.stderr)]
    assert len(steps) >= 21 and steps == sorted(set(steps)), steps
    engine = create_engine(empty_database)
    try:
        assert set(inspect(engine).get_table_names()) == TABLES
    finally:
        engine.dispose()


@pytest.mark.parametrize(("at", "old_stamp"), [("0009", "0012"), ("0011", "0009"), ("0012", "0015")])
def test_a_database_stamped_before_the_renumbering_upgrades(empty_database, at, old_stamp):
    # Stamped by the old numbering (0008 → 0012 → 0010 → 0009 → 0015 → 0013): told apart by what it holds.
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision=at)
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :old"), {"old": old_stamp})
        upgrade()
        assert set(inspect(db.engine).get_table_names()) == TABLES
        config = app.extensions["migrate"].migrate.get_config()
        command.check(config)
        db.engine.dispose()


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
        upgrade(revision="0010")
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
        downgrade(revision="0010", x_arg=["force=yes"])
        assert "assessment_round" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM stage_assessment")).scalar() == 1
        db.engine.dispose()


def _populate(app) -> None:
    """The demo organisation with its governance, an account with a role and a session, an issued report."""
    from cxroadmap.accounts.services import start_session
    from cxroadmap.audit.services import Actor, set_actor
    from cxroadmap.demo import ensure_demo_admin, seed_demo
    from tests import factories

    set_actor(Actor("test: migration walk"))
    organisation = seed_demo()
    ensure_demo_admin(organisation)
    user = factories.UserFactory(email="locale@example.com", locale="nl")
    factories.MembershipFactory(user=user, organisation_id=organisation.id, role="viewer")
    start_session(user)
    factories.IssuedReportFactory(organisation_id=organisation.id)
    db.session.commit()


def _row_counts() -> dict[str, int]:
    names = set(inspect(db.engine).get_table_names()) - {"alembic_version"}
    with db.engine.connect() as connection:
        return {name: connection.execute(text(f'SELECT COUNT(*) FROM "{name}"')).scalar_one() for name in names}


def _revisions(app) -> list[str]:
    """Every revision id, oldest first."""
    from alembic.script import ScriptDirectory
    script = ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())
    return [revision.revision for revision in reversed(list(script.walk_revisions()))]


def test_every_revision_down_and_up_keeps_the_rows_of_every_table_it_keeps(empty_database):
    """Walk down one revision at a time (forced) and up again: no table loses a row it was not meant to lose."""
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade()
        _populate(app)
        at_head = _row_counts()
        assert all(at_head[table] for table in ("organisation", "initiative", "benefit_estimate", "membership",
                                                "user_session", "coalition_member", "team", "status_update",
                                                "dependency", "issued_report", "audit_event"))
        revisions = _revisions(app)
        for revision in reversed(revisions[:-1]):
            downgrade(revision=revision, x_arg=["force=yes"])
            counts = _row_counts()
            assert counts == {table: at_head[table] for table in counts}, f"down to {revision}"
        for revision in revisions[1:]:
            before = _row_counts()
            upgrade(revision=revision)
            counts = _row_counts()
            assert {table: counts[table] for table in before} == before, f"up to {revision}"
        db.engine.dispose()


def test_a_downgrade_that_would_drop_data_refuses_unless_forced(empty_database, capfd):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade()
        _populate(app)
        at_head = _row_counts()
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        # The first revision on the way down that would lose data stops it: the demo surveys' Dutch titles (0030) …
        assert "Downgrade refused" in said and "survey.title_nl (2 set)" in said
        downgrade(revision="0029", x_arg=["force=yes"])
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        # … then the demo’s comment themes (0025) …
        assert "Downgrade refused" in said and "survey_theme (4 rows)" in said
        downgrade(revision="0022", x_arg=["force=yes"])
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        # … then the demo's follow-up cases (0022) …
        assert "Downgrade refused" in said and "follow_up_case (6 rows)" in said
        downgrade(revision="0018", x_arg=["force=yes"])
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        # … then the demo's time zone (0018) …
        assert "Downgrade refused" in said and "organisation.time_zone (1 set)" in said
        downgrade(revision="0014", x_arg=["force=yes"])
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        # … then the demo's assessment round (0011).
        assert "Downgrade refused" in said and "assessment_round (1 rows)" in said and "-x force=yes" in said
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0014"
        assert _row_counts() == {table: count for table, count in at_head.items() if table in _row_counts()}
        downgrade(revision="0007", x_arg=["force=yes"])
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        # Then the journey's touchpoints (0007).
        assert "touchpoint_score (" in capfd.readouterr().err
        downgrade(revision="0006", x_arg=["force=yes"])
        at_0006 = _row_counts()
        with pytest.raises(SystemExit):
            downgrade(revision="0003")
        said = capfd.readouterr().err
        assert "Downgrade refused" in said and "user_account.locale (1 filled in)" in said
        assert "-x force=yes" in said
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0006"
        assert _row_counts() == at_0006
        downgrade(revision="0003", x_arg=["force=yes"])
        assert "status_update" not in inspect(db.engine).get_table_names()
        assert _row_counts()["initiative"] == at_head["initiative"]
        db.engine.dispose()


def test_sqlite_migrations_commit_nothing_while_a_foreign_key_points_at_nothing(tmp_path):
    url = f"sqlite:///{tmp_path / 'broken.sqlite'}"
    app = create_app(config_for(url))
    with app.app_context():
        upgrade(revision="0004")
        with db.engine.connect() as connection:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = OFF")
            connection.exec_driver_sql(
                "INSERT INTO user_account (email, name, active, site_admin, totp_enabled, recovery_codes, "
                "created_at) VALUES ('a@example.com', 'A', 1, 0, 0, '[]', CURRENT_TIMESTAMP)")
            connection.exec_driver_sql(
                "INSERT INTO membership (user_id, organisation_id, role, created_at) "
                "VALUES (1, 999, 'viewer', CURRENT_TIMESTAMP)")
            connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys = ON")
        with pytest.raises(SystemExit):
            upgrade()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0004"
            assert "locale" not in {column["name"] for column in inspect(connection).get_columns("user_account")}
        db.engine.dispose()


def _insert_organisation(connection, slug: str, locale: str) -> None:
    connection.execute(text(
        "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
        "require_two_factor, version, updated_by, updated_at) VALUES (:slug, :slug, '', 'EUR', 800, :locale, "
        "CURRENT_TIMESTAMP, false, 1, '', CURRENT_TIMESTAMP)"), {"slug": slug, "locale": locale})


def test_organisations_from_before_the_journey_get_the_eight_default_stages(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "english", "en")
            _insert_organisation(connection, "dutch", "nl")
        upgrade(revision="0007")
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT o.slug, s.name FROM journey_stage s JOIN organisation o ON o.id = s.organisation_id "
                "ORDER BY o.slug, s.position")).all()
        english = [name for slug, name in rows if slug == "english"]
        dutch = [name for slug, name in rows if slug == "dutch"]
        assert english == ["Awareness", "Discovery", "Attraction", "Interaction", "Purchase", "Use", "Cultivation",
                           "Advocacy"]
        assert dutch[0] == "Bewustwording" and dutch[-1] == "Ambassadeurschap" and len(dutch) == 8
        # Only the stages it gave: the downgrade takes them back without being forced.
        downgrade(revision="0006")
        assert "journey_stage" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_the_journey_downgrade_refuses_to_drop_touchpoints_or_named_stages_unless_forced(empty_database, capfd):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0006")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "parts", "en")
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE journey_stage SET name = 'Repair' WHERE position = 6"))
        with pytest.raises(SystemExit):
            downgrade(revision="0006")
        assert "journey_stage (1 stages named by people)" in capfd.readouterr().err
        with db.engine.begin() as connection:
            stage = connection.execute(text("SELECT id FROM journey_stage WHERE name = 'Repair'")).scalar_one()
            connection.execute(text(
                "INSERT INTO touchpoint (organisation_id, stage_id, key, name, channel, moment_of_truth, position, "
                "created_at, version, updated_by, updated_at) VALUES (1, :stage, 'on-site', 'On site', '', true, 1, "
                "CURRENT_TIMESTAMP, 1, '', CURRENT_TIMESTAMP)"), {"stage": stage})
        with pytest.raises(SystemExit):
            downgrade(revision="0006")
        assert "touchpoint (1 rows)" in capfd.readouterr().err
        assert "touchpoint" in inspect(db.engine).get_table_names()
        downgrade(revision="0006", x_arg=["force=yes"])
        assert "touchpoint" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_kpis_arrive_without_touching_what_organisations_hold(empty_database):
    """0008 adds a column to organisation: on SQLite a copied table would cascade its drop to every row."""
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0007")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "kept", "en")
            connection.execute(text(
                "INSERT INTO initiative (ref, title, description, readiness_question, status, health, progress, "
                "one_off_cost, annual_running_cost, archived, created_at, updated_at, organisation_id, version, "
                "updated_by) VALUES ('INIT-1', 'Kept', '', 'know_roles', 'proposed', 'green', 0, 0, 0, "
                "false, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, 1, 1, '')"))
        upgrade(revision="0008")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT title FROM initiative")).all() == [("Kept",)]
            assert connection.execute(text("SELECT keep_survey_comments FROM organisation")).all() == [(False,)]
        downgrade(revision="0007")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT title FROM initiative")).all() == [("Kept",)]
        assert "kpi" not in inspect(db.engine).get_table_names()


def test_access_tokens_arrive_beside_existing_accounts_and_leave_them_be(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0008")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO user_account (email, name, active, site_admin, totp_enabled, recovery_codes, created_at) "
                "VALUES ('old@example.com', 'Old', true, false, false, '[]', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO access_token (user_id, name, token_hash, prefix, can_write, created_at, expires_at, "
                "last_used_from) VALUES (1, 'script', 'abc', 'cxr_abc', false, CURRENT_TIMESTAMP, "
                "CURRENT_TIMESTAMP, '')"))
        with pytest.raises(SystemExit):  # the tokens would be lost: refused unless forced
            downgrade(revision="0008")
        downgrade(revision="0008", x_arg=["force=yes"])
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT email FROM user_account")).scalars().all() == ["old@example.com"]
            assert "access_token" not in inspect(connection).get_table_names()
        db.engine.dispose()


def test_every_downgrade_that_drops_something_first_asks_whether_it_holds_data():
    """A new migration whose downgrade drops a table or column guards it with migrating.refuse_to_drop_data."""
    for path in sorted((REPOSITORY / "migrations" / "versions").glob("*.py")):
        source = path.read_text()
        downgrade_source = source[source.index("def downgrade"):]
        dropped = set(re.findall(r"drop_table\(\s*['\"]?([\w.]*)", downgrade_source)) - DERIVED_TABLES
        if dropped or "drop_column(" in downgrade_source:
            assert "refuse_to_drop_data(" in downgrade_source, path.name


def test_members_from_before_mail_get_the_weekly_digests_and_keep_their_role_on_the_way_down(empty_database):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0009")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
                "require_two_factor, version, updated_by, updated_at) VALUES ('Old', 'old', '', 'EUR', 800, 'en', "
                "CURRENT_TIMESTAMP, false, 1, '', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO user_account (email, name, active, site_admin, totp_enabled, recovery_codes, created_at) "
                "VALUES ('old@example.com', 'Old Hand', true, false, false, '[]', CURRENT_TIMESTAMP)"))
            connection.execute(text("INSERT INTO membership (user_id, organisation_id, role, created_at) "
                                    "VALUES (1, 1, 'steering', CURRENT_TIMESTAMP)"))
        upgrade()
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT role, digest, steering_digest FROM membership")).all()
        assert [(role, digest, bool(steering)) for role, digest, steering in rows] == [("steering", "weekly", True)]
        downgrade(revision="0009")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT role FROM membership")).all() == [("steering",)]
        db.engine.dispose()


def test_organisations_from_before_data_versions_get_a_stamp_and_a_new_one_with_each_write(empty_database):
    from cxroadmap.organisations.data_version import data_version
    from cxroadmap.organisations.models import Organisation

    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "kept", "en")
        upgrade()
        organisation = db.session.scalar(db.select(Organisation))
        first = data_version(organisation)
        assert first and len(first) == 32
        organisation.brand_promise = "Tomorrow, before ten."
        db.session.commit()
        assert data_version(organisation) not in (None, first)
        db.session.remove()
        downgrade(revision="0011")
        assert "organisation_data_version" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT slug FROM organisation")).all() == [("kept",)]
        db.engine.dispose()


def test_logos_arrive_beside_existing_organisations_and_are_not_dropped_unasked(empty_database):
    """0013 adds the logo to organisation: the rows there and hanging off it stay, up and down."""
    from tests.organisations.test_logo import png

    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "kept", "nl")
            connection.execute(text(
                "INSERT INTO stage_assessment (organisation_id, stage, assessed_on, assessed_by, rationale, "
                "created_at) VALUES (1, 'explore', '2026-01-05', 'Board', 'Typed in.', CURRENT_TIMESTAMP)"))
        upgrade(revision="0013")
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT slug, logo_png, logo_sha256 FROM organisation")).all() == [
                ("kept", None, None)]
            assert connection.execute(text("SELECT count(*) FROM stage_assessment")).scalar() == 1
            connection.execute(text("UPDATE organisation SET logo_png = :png, logo_sha256 = 'x', logo_width = 320, "
                                    "logo_height = 80"), {"png": png()})
        with pytest.raises(SystemExit):  # the logo would be lost: refused unless forced
            downgrade(revision="0011")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT logo_width FROM organisation")).scalar() == 320
        downgrade(revision="0011", x_arg=["force=yes"])
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT slug FROM organisation")).scalars().all() == ["kept"]
            assert connection.execute(text("SELECT count(*) FROM stage_assessment")).scalar() == 1
        assert "logo_png" not in {c["name"] for c in inspect(db.engine).get_columns("organisation")}
        db.engine.dispose()


def test_jobs_arrive_beside_existing_data_and_refuse_to_go_while_they_hold_any(empty_database, capfd):
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0011")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
                "require_two_factor, keep_survey_comments, version, updated_by, updated_at) VALUES ('Old', 'old', "
                "'', 'EUR', 800, 'en', CURRENT_TIMESTAMP, false, false, 1, '', CURRENT_TIMESTAMP)"))
            connection.execute(text(
                "INSERT INTO user_account (email, name, password_hash, active, site_admin, created_at, "
                "totp_enabled, recovery_codes) VALUES ('a@example.com', 'A', 'x', true, false, CURRENT_TIMESTAMP, "
                "false, '[]')"))
        upgrade(revision="0014")
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT name FROM organisation")).scalar() == "Old"
            connection.execute(text(
                "INSERT INTO job (id, organisation_id, user_id, language, kind, parameters, state, progress, message, "
                "outcome, error, problems, result_filename, result_type, result_size, created_at) VALUES "
                "('abc', 1, 1, 'en', 'report', '{}', 'done', 100, '', '{}', '', '[]', 'r.pdf', 'application/pdf', "
                "0, CURRENT_TIMESTAMP)"))
        with pytest.raises(SystemExit):
            downgrade(revision="0011")
        assert "job (1 rows)" in capfd.readouterr().err
        downgrade(revision="0011", x_arg=["force=yes"])
        assert "job" not in inspect(db.engine).get_table_names()
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT count(*) FROM organisation")).scalar() == 1
        db.engine.dispose()


def test_invitations_arrive_beside_the_retention_setting_and_refuse_to_go_while_they_hold_any(empty_database, capfd):
    """The quiet period arrives at its default beside a retention period already set; invitations and the
    suppression list are not dropped unasked."""
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0022")
        with db.engine.begin() as connection:
            connection.execute(text(
                "INSERT INTO organisation (name, slug, brand_promise, currency, discount_rate, locale, created_at, "
                "require_two_factor, keep_survey_comments, version, updated_by, updated_at, time_zone) VALUES "
                "('Old', 'old', '', 'EUR', 800, 'en', CURRENT_TIMESTAMP, false, false, 1, '', CURRENT_TIMESTAMP, "
                "'Europe/Amsterdam')"))
            connection.execute(text("INSERT INTO survey_privacy (organisation_id, retention_months) VALUES (1, 12)"))
        upgrade(revision="0023")
        with db.engine.begin() as connection:
            assert connection.execute(text("SELECT retention_months, quiet_days FROM survey_privacy")).all() == [
                (12, 30)]
            connection.execute(text("INSERT INTO survey_suppression (organisation_id, email, created_at) VALUES "
                                    "(1, 'gone@example.com', CURRENT_TIMESTAMP)"))
        with pytest.raises(SystemExit):
            downgrade(revision="0022")
        assert "survey_suppression (1 rows)" in capfd.readouterr().err
        assert "survey_suppression" in inspect(db.engine).get_table_names()
        downgrade(revision="0022", x_arg=["force=yes"])
        assert "quiet_days" not in {c["name"] for c in inspect(db.engine).get_columns("survey_privacy")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT retention_months FROM survey_privacy")).scalar() == 12
        db.engine.dispose()


def test_survey_tallies_count_the_answers_stored_before_and_go_without_touching_them(empty_database):
    """0028 counts the answers already stored into the tallies the pages read; coming down drops only the counts."""
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0027")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "kept", "en")
            connection.execute(text(
                "INSERT INTO survey (code, title, measure, period, state, created_at, version, updated_by, updated_at, "
                "organisation_id) VALUES ('abc', 'NPS', 'nps', 'month', 'live', CURRENT_TIMESTAMP, 1, '', "
                "CURRENT_TIMESTAMP, 1)"))
            connection.execute(text(
                "INSERT INTO survey_version (survey_id, number, texts, asks_gap, rated, asks_contact, created_at) "
                "VALUES (1, 1, '{}', true, '[]', true, CURRENT_TIMESTAMP)"))
            for day, score, expectation, perception in (("2026-03-02", 9, 5, 6), ("2026-03-02", 9, None, None),
                                                        ("2026-03-02", 3, 6, 2), ("2026-03-05", 9, 4, 7)):
                connection.execute(text(
                    "INSERT INTO survey_answer (survey_id, version_id, answered_at, answered_on, score, expectation, "
                    "perception, ratings, comment, language, hidden, organisation_id) VALUES (1, 1, "
                    "CURRENT_TIMESTAMP, :day, :score, :expectation, :perception, '{}', '', 'en', '{}', 1)"),
                    {"day": day, "score": score, "expectation": expectation, "perception": perception})
        upgrade(revision="0028")
        with db.engine.connect() as connection:
            rows = connection.execute(text(
                "SELECT CAST(answered_on AS VARCHAR(10)), score, answers, gap_answers, expectation_sum, perception_sum "
                "FROM survey_tally ORDER BY answered_on, score")).all()
        assert [tuple(row) for row in rows] == [("2026-03-02", 3, 1, 1, 6, 2), ("2026-03-02", 9, 2, 1, 5, 6),
                                                ("2026-03-05", 9, 1, 1, 4, 7)]
        downgrade(revision="0027")
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM survey_answer")).scalar_one() == 4
        assert "survey_tally" not in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_surveys_get_an_empty_dutch_title_and_keep_a_typed_one_unless_forced(empty_database, capfd):
    """0030: surveys made before have no Dutch title (customers read the English one); coming down refuses while
    any survey has one, and drops it when forced."""
    app = create_app(config_for(empty_database))
    with app.app_context():
        upgrade(revision="0029")
        with db.engine.begin() as connection:
            _insert_organisation(connection, "kept", "en")
            for code in ("abc", "def"):
                connection.execute(text(
                    "INSERT INTO survey (code, title, measure, period, state, created_at, version, updated_by, "
                    "updated_at, organisation_id) VALUES (:code, 'After delivery', 'ces', 'month', 'live', "
                    "CURRENT_TIMESTAMP, 1, '', CURRENT_TIMESTAMP, 1)"), {"code": code})
        upgrade(revision="0030")
        with db.engine.connect() as connection:
            rows = connection.execute(text("SELECT title, title_nl FROM survey ORDER BY code")).all()
        assert [tuple(row) for row in rows] == [("After delivery", ""), ("After delivery", "")]
        downgrade(revision="0029")  # nothing typed: nothing to lose
        upgrade(revision="0030")
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE survey SET title_nl = 'Na de levering' WHERE code = 'abc'"))
        with pytest.raises(SystemExit):
            downgrade(revision="0029")
        assert "survey.title_nl (1 set)" in capfd.readouterr().err
        assert "title_nl" in {c["name"] for c in inspect(db.engine).get_columns("survey")}
        downgrade(revision="0029", x_arg=["force=yes"])
        assert "title_nl" not in {c["name"] for c in inspect(db.engine).get_columns("survey")}
        with db.engine.connect() as connection:
            assert connection.execute(text("SELECT COUNT(*) FROM survey")).scalar_one() == 2
        db.engine.dispose()
