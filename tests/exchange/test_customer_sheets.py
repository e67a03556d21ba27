"""The KPI list's and the journey's spreadsheets: typed cells, the reader's language, no formulas smuggled in."""

import csv
import io
from datetime import datetime, timedelta
from decimal import Decimal

import openpyxl

from cxroadmap.timeutil import today
from tests.factories import (
    JourneyStageFactory,
    KpiFactory,
    KpiReadingFactory,
    MemberFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)


def _book(response):
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(io.BytesIO(response.data))


def _rows(sheet) -> list[dict]:
    headers = [cell.value for cell in sheet[1]]
    return [dict(zip(headers, row, strict=True)) for row in sheet.iter_rows(min_row=2)]


def _world():
    home = OrganisationFactory(slug="home")
    owner = MemberFactory(organisation=home, name="Olga Owner")
    stage = JourneyStageFactory(organisation=home, name="Purchase")
    team = TeamFactory(organisation=home, name="Contact centre")
    touchpoint = TouchpointFactory(stage=stage, key="callback", name='=HYPERLINK("http://evil","x")',
                                   team_id=team.id, moment_of_truth=True, channel="Phone")
    TouchpointScoreFactory(touchpoint=touchpoint, scored_on=today() - timedelta(days=3),
                           expectation=Decimal("6.50"), perception=Decimal("4.25"), respondents=80)
    kpi = KpiFactory(organisation=home, code="NPS-REL", name="+Relationship NPS", owner_id=owner.id,
                     touchpoint_id=touchpoint.id)
    KpiReadingFactory(kpi_id=kpi.id, taken_on=today() - timedelta(days=30), value=Decimal("30"), respondents=300,
                      note="@wave one")
    return home


def test_the_kpi_sheet_has_latest_target_status_and_achievement_typed(client):
    _world()
    kpi = _rows(_book(client.get("/o/home/kpis.xlsx"))["KPIs"])[0]
    assert kpi["Code"].value == "NPS-REL" and kpi["Owner"].value == "Olga Owner"
    assert kpi["Name"].data_type == "s" and kpi["Name"].value == "+Relationship NPS" and kpi["Name"].quotePrefix
    assert kpi["Latest"].value == 30 and kpi["Target"].value == 40
    assert isinstance(kpi["Latest date"].value, datetime) and kpi["Latest date"].is_date
    assert kpi["Achievement"].value == 0.5 and kpi["Achievement"].number_format == "0%"
    assert kpi["Status"].value in {"On track", "At risk", "Off track"}
    readings = _rows(_book(client.get("/o/home/kpi-readings.xlsx"))["KPI readings"])
    assert [(r["Code"].value, r["Value"].value, r["Respondents"].value) for r in readings] == [("NPS-REL", 30, 300)]
    text = client.get("/o/home/kpi-readings.csv").data.decode("utf-8-sig")
    row = list(csv.DictReader(io.StringIO(text)))[0]
    assert row["Note"] == "'@wave one" and row["Value"] == "30.0000"


def test_the_touchpoint_sheet_follows_the_journey_with_the_latest_gap(client):
    _world()
    row = _rows(_book(client.get("/o/home/touchpoints.xlsx"))["Touchpoints"])[0]
    assert row["Stage"].value == "Purchase" and row["Owner"].value == "Contact centre"
    assert row["Touchpoint"].data_type == "s" and row["Touchpoint"].quotePrefix
    assert row["Moment of truth"].value == "yes" and row["Channel"].value == "Phone"
    assert (row["Expectation"].value, row["Perception"].value, row["Gap"].value) == (6.5, 4.25, -2.25)
    assert row["Respondents"].value == 80 and row["Scored on"].is_date
    text = client.get("/o/home/touchpoints.csv").data.decode("utf-8-sig")
    assert list(csv.DictReader(io.StringIO(text)))[0]["Gap"] == "-2.25"


def test_the_headers_are_in_the_readers_language_and_the_pages_link_them(client):
    _world()
    assert 'href="/o/home/kpis.xlsx"' in client.get("/o/home/kpis").get_data(as_text=True)
    assert 'href="/o/home/touchpoints.csv"' in client.get("/o/home/journey").get_data(as_text=True)
    client.post("/account/language", data={"locale": "nl"})
    headers = [cell.value for cell in _book(client.get("/o/home/touchpoints.xlsx")).active[1]]
    assert {"Fase", "Verwachting", "Beleving", "Kloof", "Moment van de waarheid"} <= set(headers)


def test_another_organisations_kpis_are_not_in_the_sheet(client_as):
    home, other = OrganisationFactory(slug="home"), OrganisationFactory(slug="other")
    KpiFactory(organisation=other, code="SECRET", name="Secret KPI")
    browser = client_as("viewer", home)
    assert browser.get("/o/other/kpis.xlsx").status_code == 404
    assert b"SECRET" not in browser.get("/o/home/kpis.csv").data
    assert b"SECRET" not in browser.get("/o/home/kpi-readings.csv").data


def test_the_workbook_with_kpis_and_touchpoints_still_imports_as_it_is(client, app_context):
    from cxroadmap.exchange.spreadsheets.files import read_tables
    from cxroadmap.exchange.spreadsheets.importing import check_sheet

    home = _world()
    content = client.get("/o/home/export.xlsx").data
    plan = check_sheet(home, read_tables("export.xlsx", content), "en")
    assert plan.problems == []
