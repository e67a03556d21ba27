"""The workbook's survey answers (of the period asked, else the last 90 days) and follow-up cases: typed cells,
headers in the reader's language, customers' text never a formula, and LibreOffice reading it as meant."""

import csv
import io
import shutil
import subprocess
from datetime import UTC, datetime, timedelta

import openpyxl
import pytest

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.timeutil import today
from tests.surveys.helpers import journey, live_survey

SOFFICE = shutil.which("soffice")
FORMULA = '=HYPERLINK("http://evil.example","click")'


def _answered(survey, days_ago: int, score: int, comment: str = "") -> None:
    moment = datetime.now(UTC) - timedelta(days=days_ago)
    record_answer(survey, Given(score=score, comment=comment), "en", {"order": "SO-1"}, now=moment)
    db.session.commit()


def _listening():
    organisation, touchpoint, _other = journey("home")
    survey = live_survey(organisation, touchpoint, title="After delivery")
    _answered(survey, 1, 9, FORMULA)
    _answered(survey, 30, 3, "Late again.")  # an unhappy answer: it opens a case
    _answered(survey, 200, 10, "Long ago.")
    case = db.session.scalar(db.select(Case))
    case.outcome, case.root_cause = "@SUM(A1) called back", "late-delivery"
    db.session.commit()
    return organisation


def _sheet(book, name) -> list[tuple]:
    return list(book[name].iter_rows(values_only=True))


def _text_not_formula(cell, text: str) -> None:
    assert cell.data_type == "s" and cell.value == text and cell.quotePrefix


def test_the_workbook_holds_the_answers_of_the_period_asked_and_the_cases(client):
    _listening()
    book = openpyxl.load_workbook(io.BytesIO(client.get("/o/home/export.xlsx").data))
    answers = _sheet(book, "Survey answers")
    assert answers[0][:4] == ("Answered on", "Survey", "Version", "Score")
    assert [row[3] for row in answers[1:]] == [9, 3]  # the last 90 days, the latest first
    assert answers[1][8] == "SO-1"
    _text_not_formula(book["Survey answers"]["G2"], FORMULA)
    assert isinstance(answers[1][0], datetime)
    since = (today() - timedelta(days=365)).isoformat()
    until = (today() - timedelta(days=10)).isoformat()
    asked = openpyxl.load_workbook(io.BytesIO(client.get(f"/o/home/export.xlsx?since={since}&until={until}").data))
    assert [row[3] for row in _sheet(asked, "Survey answers")[1:]] == [3, 10]
    cases = _sheet(book, "Follow-up cases")
    assert cases[0][:3] == ("Opened", "Status", "Survey") and len(cases) == 2
    assert cases[1][1] == "New" and cases[1][12] == "Late delivery"
    _text_not_formula(book["Follow-up cases"]["N2"], "@SUM(A1) called back")


def test_the_sheets_speak_dutch_to_a_dutch_reader(client_as):
    organisation = _listening()
    browser = client_as("viewer", organisation, locale="nl")
    book = openpyxl.load_workbook(io.BytesIO(browser.get("/o/home/export.xlsx").data))
    assert book.sheetnames[-2:] == ["Enquêteantwoorden", "Opvolgzaken"]
    assert _sheet(book, "Opvolgzaken")[1][12] == "Te late levering"


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_reads_the_answers_and_cases_as_meant(client, tmp_path):
    _listening()
    (tmp_path / "export.xlsx").write_bytes(client.get("/o/home/export.xlsx").data)
    result = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,"
                             "false,-1", "--outdir", str(tmp_path), str(tmp_path / "export.xlsx")],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    answers = list(csv.DictReader(io.StringIO((tmp_path / "export-Survey answers.csv").read_text(encoding="utf-8"))))
    assert answers[0]["Comment"] == FORMULA and answers[0]["Score"] == "9"  # text, not a link
    cases = list(csv.DictReader(io.StringIO((tmp_path / "export-Follow-up cases.csv").read_text(encoding="utf-8"))))
    assert cases[0]["Outcome"] == "@SUM(A1) called back" and cases[0]["Root cause"] == "Late delivery"
