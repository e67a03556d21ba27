"""The flask sub-commands, through Click's runner."""

import json

from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.organisations.models import Organisation
from tests.factories import OrganisationFactory


def count(model):
    return db.session.scalar(db.select(db.func.count()).select_from(model))


def test_seed_demo_builds_a_realistic_organisation(runner):
    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert "/o/van-dijk-onderdelen/" in result.output
    assert count(CoalitionMember) >= 8 and count(Team) >= 6 and count(Initiative) == 20
    questions = set(db.session.scalars(db.select(Initiative.readiness_question)))
    assert questions == {"know_customers", "know_experience", "know_roles"}


def test_seed_demo_twice_is_refused_unless_replacing(runner):
    runner.invoke(args=["seed-demo"])
    again = runner.invoke(args=["seed-demo"])
    assert again.exit_code == 1
    assert "exists already" in again.output
    assert runner.invoke(args=["seed-demo", "--replace"]).exit_code == 0
    assert count(Organisation) == 1


def test_seed_demo_if_empty_leaves_a_used_database_alone(runner):
    OrganisationFactory()
    result = runner.invoke(args=["seed-demo", "--if-empty"])
    assert result.exit_code == 0
    assert count(Organisation) == 1


def test_export_then_import_through_the_cli(runner, tmp_path):
    runner.invoke(args=["seed-demo"])
    path = tmp_path / "demo.json"
    assert runner.invoke(args=["export", "van-dijk-onderdelen", "--output", str(path)]).exit_code == 0
    assert json.loads(path.read_text())["format"] == "cxroadmap/1"
    refused = runner.invoke(args=["import", str(path)])
    assert refused.exit_code == 1
    assert "organisation.slug: an organisation 'van-dijk-onderdelen' exists already" in refused.output
    replaced = runner.invoke(args=["import", str(path), "--replace"])
    assert replaced.exit_code == 0, replaced.output
    second = tmp_path / "again.json"
    runner.invoke(args=["export", "van-dijk-onderdelen", "-o", str(second)])
    assert second.read_bytes() == path.read_bytes()


def test_import_problems_are_one_line_each_and_nothing_is_written(runner, tmp_path):
    path = tmp_path / "bad.json"
    path.write_text(json.dumps({"format": "cxroadmap/1", "organisation": {"name": "X", "slug": "x", "currency": "EUR",
                                                                          "discount_rate": 0.08, "locale": "en"},
                                "initiatives": [{"ref": "A", "title": "T"}]}))
    result = runner.invoke(args=["import", str(path)])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert "organisation.discount_rate: not a decimal" in lines
    assert "initiatives[0].readiness_question: missing" in lines
    assert lines[-1].startswith("Nothing imported:")
    assert count(Organisation) == 0


def test_cli_errors_are_one_readable_line(runner, tmp_path):
    missing = runner.invoke(args=["export", "nobody", "-o", str(tmp_path / "x.json")])
    assert missing.exit_code == 1 and "No organisation 'nobody'" in missing.output
    unreadable = runner.invoke(args=["import", str(tmp_path / "absent.json")])
    assert unreadable.exit_code == 1 and "Cannot read" in unreadable.output


def test_commands_on_an_unmigrated_database_say_what_to_do(tmp_path):
    from cxroadmap import create_app
    from tests.conftest import config_for

    app = create_app(config_for(f"sqlite:///{tmp_path / 'blank.sqlite'}"))
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["seed-demo"])
        db.engine.dispose()
    assert result.exit_code == 1
    assert "run `flask --app cxroadmap db upgrade` first" in result.output
