"""The reports' KPIs: the table in "Customer experience measures", and the KPIs off track named in the summaries."""

from datetime import timedelta
from decimal import Decimal as D

from cxroadmap.timeutil import today
from tests import factories
from tests.reports.test_reports import known_organisation, pdf, render, text_of


def with_kpis():
    organisation = known_organisation()
    year_ago, in_a_year = today() - timedelta(days=365), today() + timedelta(days=365)
    otd = factories.KpiFactory(organisation=organisation, code="OTD", name="On-time delivery", kind="o_data",
                               measure="percentage", baseline_value=D("80"), target_value=D("90"),
                               baseline_on=year_ago, target_on=in_a_year)
    nps = factories.KpiFactory(organisation=organisation, code="NPS-REL", name="Relationship <NPS> & more",
                               baseline_value=D("10"), target_value=D("30"), baseline_on=year_ago,
                               target_on=in_a_year)
    for days, value in ((200, "84"), (30, "86")):
        factories.KpiReadingFactory(kpi=otd, taken_on=today() - timedelta(days=days), value=D(value))
    for days, value in ((200, "12"), (30, "8")):
        factories.KpiReadingFactory(kpi=nps, taken_on=today() - timedelta(days=days), value=D(value), respondents=90)
    return organisation


def test_the_roadmap_has_the_kpi_table_in_customer_experience_measures():
    text = text_of(render(with_kpis()))
    section = text.split("Customer experience measures")[-1]
    assert "KPIs: where the measures stand" in section
    assert "O-data: Operational" in section and "X-data: Experience" in section
    assert "OTD · On-time delivery 80%" in section and "90%" in section and "86%" in section
    assert "On track 60.0%" in section
    assert "NPS-REL · Relationship <NPS> & more 10.0" in section  # typed text printed literally
    assert "Off track -10.0%" in section
    # 8 on 90 answers, conservatively 49/41: adjusted 49.75 and 41.75 of 93, centre 8.60; √((0.983871 − 0.0074)/93)
    # = 0.102468; × 195.9964 = 20.08 → −11.48 to 28.69, shown rounded outwards.
    assert "8.0 n = 90 · 95 % interval -11.5 to 28.7" in section


def test_the_summaries_name_the_kpis_off_track():
    organisation = with_kpis()
    for kind in ("roadmap", "summary"):
        text = text_of(render(organisation, kind))
        part = text.split("KPIs off track", 1)[1][:200]
        assert "NPS-REL · Relationship <NPS> & more 8.0 n = 90 · 95 % interval -11.5 to 28.7 20.0 30.0" in part, kind
        assert "OTD" not in part, kind
    assert len(pdf(render(organisation, "summary")).pages) <= 2


def test_an_organisation_without_kpis_says_so():
    text = text_of(render(known_organisation()))
    assert "No KPIs yet." in text
    assert "KPIs off track" not in text


def test_the_steering_pack_shows_the_kpis_of_the_agenda(client):
    import io
    import re

    from pypdf import PdfReader

    from cxroadmap.extensions import db
    from cxroadmap.measures.models import Kpi

    organisation = with_kpis()
    organisation_id = organisation.id
    review = factories.InitiativeFactory(organisation_id=organisation_id, ref="INIT-9", title="Carrier contract")
    elsewhere = factories.InitiativeFactory(organisation_id=organisation_id, ref="INIT-10", title="Not on agenda")
    nps = db.session.scalar(db.select(Kpi).where(Kpi.code == "NPS-REL"))
    otd = db.session.scalar(db.select(Kpi).where(Kpi.code == "OTD"))
    factories.InitiativeKpiFactory(initiative=review, kpi=nps, expected_change=D("6"))
    factories.InitiativeKpiFactory(initiative=elsewhere, kpi=otd, expected_change=D("2"))
    response = client.post("/o/known/meetings", data={"held_on": today().isoformat(), "title": "Steering",
                                                       "agenda": "INIT-9"})
    meeting = int(response.headers["Location"].rsplit("/", 1)[1])
    pack = client.get(f"/o/known/meetings/{meeting}/pack.pdf")
    text = re.sub(r"\s+", " ", " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pack.data)).pages))
    part = text.split("KPIs these initiatives should move", 1)[1][:400]
    assert "NPS-REL · Relationship <NPS> & more INIT-9 (+6.0) 8.0 20.0 30.0 ● Off track" in part
    assert "OTD" not in part
