"""`flask kpi import-answers`: the answers of a CSV stored and the readings following, or one line per problem and
nothing written."""

from datetime import date
from decimal import Decimal as D

from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.measures.models import KpiReading
from tests import factories


def test_answers_are_stored_and_become_a_reading(runner, tmp_path):
    organisation = factories.OrganisationFactory(slug="vd")
    factories.KpiFactory(organisation=organisation, code="NPS-REL")
    answers = tmp_path / "answers.csv"
    answers.write_text("score,comment\n10,\n9,fast\n7,\n8,\n0,no\n", encoding="utf-8")
    result = runner.invoke(args=["kpi", "import-answers", "vd", "nps-rel", str(answers), "--on", "2026-05-01"])
    assert result.exit_code == 0, result.output
    assert "5 answers stored in Imported answers: " in result.output and "for NPS-REL." in result.output
    reading = db.session.scalar(select(KpiReading))
    assert (reading.taken_on, reading.value, reading.respondents) == (date(2026, 5, 1), D("20.0"), 5)  # (2 − 1) / 5


def test_bad_answers_exit_non_zero_with_one_line_per_problem(runner, tmp_path):
    organisation = factories.OrganisationFactory(slug="vd")
    factories.KpiFactory(organisation=organisation, code="CES", measure="ces", baseline_value=D("4"),
                         target_value=D("6"))
    answers = tmp_path / "answers.csv"
    answers.write_text("score\n5\n8\n\nfour\n", encoding="utf-8")
    result = runner.invoke(args=["kpi", "import-answers", "vd", "CES", str(answers), "--on", "2026-05-01"])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("Line 3: the score \u201c8\u201d is not a whole number from 1 to 7")
    assert lines[1].startswith("Line 5: the score \u201cfour\u201d")
    assert lines[2] == "Nothing written: 2 problems."
    assert db.session.scalar(select(func.count()).select_from(KpiReading)) == 0


def test_unknown_kpi_empty_file_and_bad_date_are_refused(runner, tmp_path):
    factories.OrganisationFactory(slug="vd")
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    unknown = runner.invoke(args=["kpi", "import-answers", "vd", "NOPE", str(empty), "--on", "2026-05-01"])
    assert unknown.exit_code == 1 and "No KPI NOPE in this organisation." in unknown.output
    bad_date = runner.invoke(args=["kpi", "import-answers", "vd", "NOPE", str(empty), "--on", "1 May"])
    assert bad_date.exit_code == 2 and "use a date like 2026-03-31" in bad_date.output
    organisation = db.session.scalar(select(factories.Organisation))
    factories.KpiFactory(organisation=organisation, code="NPS")
    result = runner.invoke(args=["kpi", "import-answers", "vd", "NPS", str(empty), "--on", "2026-05-01"])
    assert result.exit_code == 1 and "The file is empty." in result.output
