"""A large organisation's spreadsheets of its initiatives, its workbook of everything and its cxroadmap/1 document
are made in the background: the page offers a button that starts the job, the job's page offers the file, and the
file is the one a small organisation downloads at once."""

import io
import re
import zipfile
from datetime import UTC, date, datetime, timedelta

import openpyxl
import pytest
from sqlalchemy import select

from cxroadmap.accounts.models import Membership
from cxroadmap.audit.models import AuditEvent
from cxroadmap.exchange.jobs import make_document, make_spreadsheet
from cxroadmap.extensions import db
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.services import record_status
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.surveys.answering import Given, record_answer
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    JobFactory,
    KpiFactory,
    KpiReadingFactory,
    OrganisationFactory,
)
from tests.helpers import page_text
from tests.surveys.helpers import live_survey

JOB_PAGE = re.compile(r"/o/big/jobs/([A-Za-z0-9_-]{32})$")
FILTER = "sort=title&status=in_progress"


def programme(locale="en"):
    """Three initiatives with benefits, history and milestones (one on hold, one archived), and a KPI."""
    organisation = OrganisationFactory(slug="big", name="Big Programme B.V.", locale=locale)
    for number, (status, archived) in enumerate([("in_progress", False), ("on_hold", False),
                                                 ("in_progress", False), ("in_progress", True)]):
        initiative = InitiativeFactory(organisation=organisation, title=f"Webshop promise {number}", status=status,
                                       archived=archived, description="=SUM(A1) is text, not a formula")
        BenefitFactory(initiative=initiative, description=f"Fewer calls {number}")
        record_status(initiative, f"Monthly update {number}.")
        tracking.add_milestone(initiative, f"Pilot {number}", date(2027, 3, number + 1))
    KpiReadingFactory(kpi=KpiFactory(organisation=organisation, code="NPS-1"))
    db.session.commit()
    return organisation


@pytest.fixture
def large(app, monkeypatch):
    """Make organisations of more than two initiatives (not archived) large."""
    def make_large():
        monkeypatch.setitem(app.config, "BACKGROUND_DOWNLOAD_INITIATIVES", 2)
    return make_large


def _job_of(response) -> str:
    assert response.status_code == 302, response.status_code
    return JOB_PAGE.search(response.headers["Location"]).group(1)


def _made_in_background(app, client, job_id):
    """The finished job's page, and what its Download button gives."""
    wait_for_jobs(app)
    page = client.get(f"/o/big/jobs/{job_id}")
    assert page.status_code == 200 and db.session.get(Job, job_id).state == "done"
    link = re.search(r'href="(/o/big/jobs/[^"]+/download/[^"]+)"', page.get_data(as_text=True)).group(1)
    return page, client.get(link)


def _content(response) -> dict | bytes:
    """What a download holds: an XLSX's parts but the one saying when it was written, or the bytes."""
    if not response.data.startswith(b"PK"):
        return response.data
    with zipfile.ZipFile(io.BytesIO(response.data)) as book:
        return {name: book.read(name) for name in book.namelist() if name != "docProps/core.xml"}


def _same_file(direct, background):
    assert direct.status_code == background.status_code == 200
    assert background.headers["Content-Disposition"] == direct.headers["Content-Disposition"]
    assert background.headers["Content-Type"] == direct.headers["Content-Type"]
    assert background.headers["Cache-Control"] == "no-store"
    assert _content(background) == _content(direct)


def _downloads_recorded(action):
    return db.session.execute(select(AuditEvent.object_type, AuditEvent.object_label)
                              .where(AuditEvent.action == action)).all()


@pytest.mark.parametrize("sheet, fmt", [("initiatives", "xlsx"), ("initiatives", "csv"), ("benefits", "xlsx"),
                                        ("benefits", "csv"), ("status-updates", "xlsx"), ("status-updates", "csv"),
                                        ("milestones", "xlsx"), ("milestones", "csv")])
def test_a_large_organisations_list_spreadsheet_is_made_in_the_background_as_a_small_one_gets_it(
        app, client, large, sheet, fmt):
    programme()
    direct = client.get(f"/o/big/{sheet}.{fmt}?{FILTER}")
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0
    large()
    # The list's menu starts the job, the list's filters kept; the address typed in leads back to it.
    listing = client.get(f"/o/big/initiatives?{FILTER}").get_data(as_text=True)
    assert f'action="/o/big/sheets/build?{FILTER.replace("&", "&amp;")}"' in listing
    assert f"/o/big/{sheet}.{fmt}" not in listing and "made in the background" in listing
    assert client.get(f"/o/big/{sheet}.{fmt}?{FILTER}").headers["Location"] == f"/o/big/initiatives?{FILTER}"
    job_id = _job_of(client.post(f"/o/big/sheets/build?{FILTER}", data={"sheet": sheet, "fmt": fmt}))
    page, background = _made_in_background(app, client, job_id)
    assert f"(.{fmt.upper()})" not in page_text(page) and f"({fmt.upper()})" in page_text(page)
    _same_file(direct, background)
    if sheet == "initiatives" and fmt == "csv":  # the filters were applied: on hold and archived are left out
        text = background.data.decode("utf-8-sig")
        assert "Webshop promise 2" in text and "Webshop promise 1" not in text and "promise 3" not in text
    filename = re.search(r'filename="([^"]+)"', direct.headers["Content-Disposition"]).group(1)
    assert filename == f"big-{sheet}-{date.today().isoformat()}.{fmt}"
    assert _downloads_recorded("spreadsheet_download") == [("Spreadsheet", filename)] * 2


def test_the_workbook_of_everything_is_made_in_the_background_in_the_readers_language(app, client, large):
    programme(locale="nl")
    direct = client.get("/o/big/export.xlsx")
    large()
    for page in ("/o/big/initiatives", "/o/big/settings"):
        body = client.get(page).get_data(as_text=True)
        assert 'action="/o/big/sheets/build"' in body and 'value="export"' in body, page
        assert "/o/big/export.xlsx" not in body, page
    assert client.get("/o/big/export.xlsx").headers["Location"] == "/o/big/initiatives"
    job_id = _job_of(client.post("/o/big/sheets/build", data={"sheet": "export", "fmt": "xlsx"}))
    page, background = _made_in_background(app, client, job_id)
    assert "Alles, één blad per onderdeel (XLSX)" in page_text(page)
    _same_file(direct, background)
    first = openpyxl.load_workbook(io.BytesIO(background.data)).worksheets[0]
    assert "Gereedheidsvraag" in [cell.value for cell in first[1]]
    assert [label for _, label in _downloads_recorded("spreadsheet_download")] == [
        f"big-export-{date.today().isoformat()}.xlsx"] * 2


def test_the_document_is_made_in_the_background_for_its_administrator(app, client, client_as, large):
    organisation = programme()
    direct = client.get("/o/big/export.json")
    large()
    settings = client.get("/o/big/settings").get_data(as_text=True)
    assert 'action="/o/big/export.json/build"' in settings and 'href="/o/big/export.json"' not in settings
    replace = client.get("/o/big/settings/import").get_data(as_text=True)
    assert 'form="build-document"' in replace and 'href="/o/big/export.json"' not in replace
    assert client.get("/o/big/export.json").headers["Location"] == "/o/big/settings"
    assert client_as("steering", organisation).post("/o/big/export.json/build").status_code == 403
    job_id = _job_of(client.post("/o/big/export.json/build"))
    page, background = _made_in_background(app, client, job_id)
    assert "cxroadmap/1" in page_text(page)
    _same_file(direct, background)
    assert background.get_json()["initiatives"][3]["archived"] is True
    assert _downloads_recorded("document_download") == [
        ("Organisation", f"big-{date.today().isoformat()}.json")] * 2


def test_a_small_organisation_still_downloads_at_once(client):
    programme()
    listing = client.get("/o/big/initiatives").get_data(as_text=True)
    assert 'href="/o/big/initiatives.xlsx"' in listing and "/sheets/build" not in listing
    settings = client.get("/o/big/settings").get_data(as_text=True)
    assert 'method="get" action="/o/big/export.json"' in settings and 'name="answers" value="1"' in settings
    for path in ("/o/big/initiatives.csv", "/o/big/milestones.xlsx", "/o/big/export.xlsx", "/o/big/export.json"):
        assert client.get(path).status_code == 200, path
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0


def test_what_stays_small_is_downloaded_at_once_even_in_a_large_organisation(client, large):
    programme()
    large()
    for path in ("/o/big/decisions.csv", "/o/big/actions.xlsx", "/o/big/kpis.xlsx", "/o/big/kpi-readings.csv",
                 "/o/big/touchpoints.csv"):
        assert client.get(path).status_code == 200, path
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0


def test_asking_for_no_known_spreadsheet_starts_nothing(client, large):
    programme()
    large()
    for form in ({"sheet": "secrets", "fmt": "xlsx"}, {"sheet": "export", "fmt": "csv"},
                 {"sheet": "initiatives", "fmt": "pdf"}, {}):
        response = client.post(f"/o/big/sheets/build?{FILTER}", data=form)
        assert response.headers["Location"] == f"/o/big/initiatives?{FILTER}", form
    assert "Choose which spreadsheet to download" in page_text(client.get("/o/big/initiatives"))
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0


def test_the_way_back_to_the_list_keeps_its_filters_and_nothing_else(client, large):
    programme()
    large()
    response = client.get("/o/big/benefits.csv?sort=title&slug=other&_external=1&_scheme=javascript&page=2")
    assert response.headers["Location"] == "/o/big/initiatives?sort=title"


def test_a_download_job_is_the_askers_alone_in_its_organisation(app, client, client_as, large):
    organisation = programme()
    other = OrganisationFactory(slug="other")
    large()
    job_id = _job_of(client.post("/o/big/sheets/build", data={"sheet": "benefits", "fmt": "csv"}))
    wait_for_jobs(app)
    filename = db.session.get(Job, job_id).result_filename
    colleague, outsider = client_as("admin", organisation), client_as("admin", other)
    for path in (f"/o/big/jobs/{job_id}", f"/o/big/jobs/{job_id}/download/{filename}"):
        assert client.get(path).status_code == 200, path
        assert client.get(path.replace("/o/big/", "/o/other/")).status_code == 404, path
        assert colleague.get(path).status_code == 404, path
        assert outsider.get(path).status_code == 404, path
        assert outsider.get(path.replace("/o/big/", "/o/other/")).status_code == 404, path


def test_an_administrator_made_a_steering_member_loses_the_document_they_asked_for(app, client_as, large):
    organisation = programme()
    large()
    admin = client_as("admin", organisation)
    job_id = _job_of(admin.post("/o/big/export.json/build"))
    wait_for_jobs(app)
    filename = db.session.get(Job, job_id).result_filename
    paths = (f"/o/big/jobs/{job_id}", f"/o/big/jobs/{job_id}/status", f"/o/big/jobs/{job_id}/download/{filename}")
    assert [admin.get(path).status_code for path in paths] == [200, 200, 200]
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == admin.user.id))
    membership.role = "steering"
    db.session.commit()
    assert [admin.get(path).status_code for path in paths] == [404, 404, 404]


def test_the_jobs_say_how_far_they_are(app, admin_user):
    organisation = programme()
    said = []
    workbook = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, kind="spreadsheet", state="running",
                          parameters={"sheet": "export", "fmt": "xlsx"})
    outcome = make_spreadsheet(workbook, lambda progress, message: said.append((progress, message)))
    assert outcome.filename.startswith("big-export-") and outcome.result.startswith(b"PK")
    messages = [message for _, message in said]
    assert messages[0] == "Gathering the rows…" and messages[-1] == "Writing the spreadsheet…"
    assert [progress for progress, _ in said] == sorted(progress for progress, _ in said)
    said.clear()
    document = JobFactory(organisation_id=organisation.id, user_id=admin_user.id, kind="document_export",
                          state="running", parameters={})
    assert make_document(document, lambda progress, message: said.append(message)).filename.endswith(".json")
    assert said == ["Gathering the organisation…", "Writing the document…"]


def test_downloads_have_a_threshold_of_their_own_above_the_reports_one(app, client, monkeypatch):
    """Three initiatives over a report threshold of two but under a download threshold of three: the report is a
    job, the spreadsheets and the document come at once (they cost less per initiative than a report)."""
    programme()
    monkeypatch.setitem(app.config, "BACKGROUND_REPORT_INITIATIVES", 2)
    monkeypatch.setitem(app.config, "BACKGROUND_DOWNLOAD_INITIATIVES", 3)
    for path in ("/o/big/initiatives.xlsx", "/o/big/export.xlsx", "/o/big/export.json"):
        assert client.get(path).status_code == 200, path
    assert db.session.scalar(select(db.func.count()).select_from(Job)) == 0
    reports = client.get("/o/big/reports").get_data(as_text=True)
    assert 'action="/o/big/reports/build"' in reports and "/o/big/reports/current/roadmap.pdf" not in reports


def test_a_large_organisations_document_and_workbook_carry_the_answers_and_period_asked(app, client, large):
    organisation = programme()
    survey = live_survey(organisation, title="After delivery")
    for days_ago, score in ((3, 9), (40, 7)):
        record_answer(survey, Given(score=score, comment=f"{days_ago} days ago"), "en", {},
                      now=datetime.now(UTC) - timedelta(days=days_ago))
    db.session.commit()
    large()
    settings = client.get("/o/big/settings").get_data(as_text=True)
    assert 'id="answers-job" name="answers" value="1"' in settings
    plain = _made_in_background(app, client, _job_of(client.post("/o/big/export.json/build")))[1].get_json()
    full = _made_in_background(app, client, _job_of(client.post("/o/big/export.json/build",
                                                                data={"answers": "1"})))[1].get_json()
    assert "answers" not in plain["surveys"][0]
    assert [a["score"] for a in full["surveys"][0]["answers"]] == [7, 9]
    since = (date.today() - timedelta(days=10)).isoformat()
    job_id = _job_of(client.post(f"/o/big/sheets/build?since={since}", data={"sheet": "export", "fmt": "xlsx"}))
    book = openpyxl.load_workbook(io.BytesIO(_made_in_background(app, client, job_id)[1].data))
    assert [row[3] for row in book["Survey answers"].iter_rows(min_row=2, values_only=True)] == [9]
