"""Spreadsheet downloads: typed cells, frozen filterable headers, the page's filters, no formulas smuggled in."""

import csv
import io
import shutil
import subprocess
from datetime import date, datetime

import openpyxl
import pytest

from tests.factories import (
    ActionFactory,
    BenefitFactory,
    InitiativeFactory,
    MeetingFactory,
    MemberFactory,
    MilestoneFactory,
    OrganisationFactory,
)


def _book(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.data))


def test_initiatives_xlsx_has_typed_cells_and_the_pages_filters(client):
    home = OrganisationFactory(slug="home", currency="EUR")
    owner = MemberFactory(organisation=home, email="olga@example.com")
    initiative = InitiativeFactory(organisation=home, ref="INIT-1", title="Callback", health="red", progress=40,
                                   due_date=date(2027, 3, 31), one_off_cost="12500.50", owner_id=owner.id)
    BenefitFactory(initiative=initiative, annual_amount="24000.00")
    InitiativeFactory(organisation=home, ref="INIT-2", health="green")
    book = _book(client.get("/o/home/initiatives.xlsx?health=red"))
    sheet = book["Initiatives"]
    headers = [cell.value for cell in sheet[1]]
    assert headers[:3] == ["Ref", "Title", "Description"] and "NPV" in headers
    assert sheet.max_row == 2  # the filter: only the red one
    row = {header: cell for header, cell in zip(headers, sheet[2], strict=True)}
    assert row["Ref"].value == "INIT-1" and row["Owner email"].value == "olga@example.com"
    assert isinstance(row["Due date"].value, datetime) and row["Due date"].value.date() == date(2027, 3, 31)
    assert row["Due date"].is_date
    assert row["One-off cost"].value == 12500.5 and "€" in row["One-off cost"].number_format
    assert row["Progress"].value == 0.4 and row["Progress"].number_format == "0%"
    assert row["Annual benefit"].value == 24000
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref.startswith("A1:")
    assert sheet.column_dimensions["B"].width >= len("Callback")


def test_headers_follow_the_readers_language(client):
    OrganisationFactory(slug="home")
    client.post("/account/language", data={"locale": "nl"})
    book = _book(client.get("/o/home/initiatives.xlsx"))
    headers = [cell.value for cell in book.active[1]]
    assert "Titel" in headers and "Title" not in headers


def test_formula_text_is_never_a_formula(client):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1", title='=HYPERLINK("http://evil","x")',
                      description="+1 and @SUM(A1)")
    sheet = _book(client.get("/o/home/initiatives.xlsx")).active
    title, description = sheet["B2"], sheet["C2"]
    assert title.data_type == "s" and title.value == '=HYPERLINK("http://evil","x")' and title.quotePrefix
    assert description.data_type == "s"
    text = client.get("/o/home/initiatives.csv").data.decode("utf-8-sig")
    row = list(csv.reader(io.StringIO(text)))[1]
    assert row[1] == "'=HYPERLINK(\"http://evil\",\"x\")" and row[2] == "'+1 and @SUM(A1)"


def test_csv_is_utf8_with_iso_dates_and_points(client):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1", title="Crème brûlée", due_date=date(2027, 1, 5),
                      one_off_cost="1250.50")
    response = client.get("/o/home/initiatives.csv")
    assert response.mimetype == "text/csv" and response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0]["Title"] == "Crème brûlée" and rows[0]["Due date"] == "2027-01-05"
    assert rows[0]["One-off cost"] == "1250.50"


def test_the_whole_organisation_one_sheet_per_area(client):
    home = OrganisationFactory(slug="home")
    initiative = InitiativeFactory(organisation=home, ref="INIT-1", archived=True)
    BenefitFactory(initiative=initiative)
    MilestoneFactory(initiative_id=initiative.id, title="Pilot")
    meeting = MeetingFactory(organisation_id=home.id)
    ActionFactory(organisation_id=home.id, meeting_id=meeting.id, title="Call the vendor")
    book = _book(client.get("/o/home/export.xlsx"))
    assert book.sheetnames == ["Initiatives", "Benefits", "Status updates", "Milestones", "Decisions", "Actions",
                              "KPIs", "KPI readings", "Touchpoints", "Survey answers", "Follow-up cases"]
    assert book["Initiatives"]["A2"].value == "INIT-1"
    assert book["Milestones"]["B2"].value == "Pilot" and book["Actions"]["A2"].value == "Call the vendor"


def test_another_organisations_sheet_is_not_there(client_as):
    home, other = OrganisationFactory(slug="home"), OrganisationFactory(slug="other")
    InitiativeFactory(organisation=other, ref="INIT-1", title="Secret plan")
    browser = client_as("viewer", home)
    assert browser.get("/o/other/initiatives.xlsx").status_code == 404
    assert b"Secret plan" not in browser.get("/o/home/initiatives.csv").data


SOFFICE = shutil.which("soffice")


@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice is not installed (apt-get install libreoffice-calc-nogui)")
def test_libreoffice_opens_the_workbook_and_shows_what_was_meant(client, tmp_path):
    home = OrganisationFactory(slug="home", currency="EUR")
    InitiativeFactory(organisation=home, ref="INIT-1", title="=1+1", due_date=date(2027, 3, 31),
                      one_off_cost="18000.50", progress=40)
    (tmp_path / "export.xlsx").write_bytes(client.get("/o/home/export.xlsx").data)
    result = subprocess.run([SOFFICE, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/lo",
                             "--convert-to", "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true",
                             "--outdir", str(tmp_path), str(tmp_path / "export.xlsx")],
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO((tmp_path / "export.csv").read_text(encoding="utf-8"))))
    assert rows[0]["Title"] == "=1+1"  # text, not the formula's 2
    assert rows[0]["One-off cost"] == "€ 18,000.50" and rows[0]["Due date"] == "2027-03-31"
    assert rows[0]["Progress"] == "40%"


def test_the_workbook_queries_do_not_grow_with_rows(client, count_queries):
    home = OrganisationFactory(slug="home")
    owner = MemberFactory(organisation=home)
    counts = []
    for extra in (2, 10):
        for _number in range(extra):
            initiative = InitiativeFactory(organisation=home, owner_id=owner.id)
            BenefitFactory(initiative=initiative)
            MilestoneFactory(initiative_id=initiative.id)
            meeting = MeetingFactory(organisation_id=home.id)
            ActionFactory(organisation_id=home.id, meeting_id=meeting.id, initiative_id=initiative.id)
        with count_queries as counter:
            assert client.get("/o/home/export.xlsx").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]


def test_an_areas_sheet_downloads_by_itself_with_its_filter(client):
    """The actions' sheet is the governance's contribution: downloaded by itself it still takes ?state=."""
    home = OrganisationFactory(slug="home")
    meeting = MeetingFactory(organisation_id=home.id)
    ActionFactory(organisation_id=home.id, meeting_id=meeting.id, title="Call the vendor")
    ActionFactory(organisation_id=home.id, meeting_id=meeting.id, title="Send the minutes", status="done",
                  done_on=date(2026, 3, 2))

    def titles(path):
        response = client.get(path)
        assert response.status_code == 200 and response.mimetype == "text/csv"
        return [row["Action"] for row in csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")))]

    assert sorted(titles("/o/home/actions.csv")) == ["Call the vendor", "Send the minutes"]
    assert titles("/o/home/actions.csv?state=open") == ["Call the vendor"]
    assert titles("/o/home/actions.csv?state=done") == ["Send the minutes"]
