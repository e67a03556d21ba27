"""The overview page: where the organisation stands, at a glance."""

from datetime import date, timedelta
from decimal import Decimal as D

from cxroadmap.overview.services import organisation_overview
from cxroadmap.timeutil import today
from tests.factories import (
    BenefitFactory,
    InitiativeFactory,
    OrganisationFactory,
    ReadinessAssessmentFactory,
    RoleStatementFactory,
    StageAssessmentFactory,
    TeamFactory,
)
from tests.helpers import page_text


def known_organisation():
    organisation = OrganisationFactory(slug="known", target_stage="operationalise", discount_rate=D("0.10"))
    StageAssessmentFactory(organisation=organisation, stage="explore", assessed_on=date(2025, 1, 1))
    StageAssessmentFactory(organisation=organisation, stage="mobilise", assessed_on=date(2026, 1, 1))
    ReadinessAssessmentFactory(organisation=organisation, question="know_customers", score=3)
    RoleStatementFactory(team=TeamFactory(organisation=organisation), logged_on=today())
    TeamFactory(organisation=organisation)
    on_track = InitiativeFactory(organisation=organisation, ref="INIT-1", title="On track", health="green",
                                 start_date=date(2026, 1, 1), one_off_cost=D("10000"))
    BenefitFactory(initiative=on_track, annual_amount=D("12000"))
    InitiativeFactory(organisation=organisation, ref="INIT-2", title="Slipping", health="amber",
                      readiness_question="know_roles", one_off_cost=D("0"))
    InitiativeFactory(organisation=organisation, ref="INIT-3", title="Late", health="green",
                      due_date=today() - timedelta(days=3), one_off_cost=D("0"))
    InitiativeFactory(organisation=organisation, ref="INIT-4", title="Finished red", health="red", status="done",
                      one_off_cost=D("0"))
    return organisation


def test_overview_figures_for_a_known_organisation():
    overview = organisation_overview(known_organisation(), today(), 3, 365)
    assert overview.stage.stage == "mobilise"
    assert overview.readiness["know_customers"].score == 3 and overview.readiness["know_roles"] is None
    assert overview.counts["question"] == {"know_customers": 3, "know_experience": 0, "know_roles": 1}
    assert [i.ref for i in overview.attention] == ["INIT-2", "INIT-3"]  # done ones need no attention
    assert (overview.coverage.part, overview.coverage.whole) == (1, 2)
    assert overview.portfolio.totals.annual_expected == D("12000.00")
    assert overview.portfolio.totals.npv == D("19842.22")


def test_overview_page_shows_it(client):
    known_organisation()
    text = page_text(client.get("/o/known/"))
    assert "Now at Mobilise" in text and "target Operationalise" in text
    assert "3 / 4 · Largely answered" in text
    assert "€12,000" in text and "€19,842" in text
    assert "Slipping" in text and "Late" in text and "overdue" in text
    assert "1 of 2" in text


def test_an_empty_organisation_says_what_to_do_next(client):
    OrganisationFactory(slug="empty", brand_promise="")
    text = page_text(client.get("/o/empty/"))
    assert "Not assessed yet" in text
    assert "No initiatives yet" in text
    assert "No brand promise yet" in text


def test_overview_charts_are_svg_images_with_their_own_policy(client):
    known_organisation()
    page = client.get("/o/known/").get_data(as_text=True)
    assert 'class="ladder"' in page  # the page draws its own ladder; the drawing stays for other uses
    for name in ("ladder", "readiness", "benefits-by-year"):
        if name != "ladder":  # drawn for a wide screen, with a narrower one for a phone
            assert f'src="/o/known/charts/{name}.svg?w=' in page and f'/o/known/charts/{name}.svg?w=320' in page
        response = client.get(f"/o/known/charts/{name}.svg")
        assert response.status_code == 200 and response.mimetype == "image/svg+xml"
        assert response.headers["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
        assert "<script" not in response.get_data(as_text=True)
    ladder = client.get("/o/known/charts/ladder.svg").get_data(as_text=True)
    assert ">Mobilise<" in ladder and "DejaVu Sans" in ladder and "CXSans" not in ladder
    by_year = client.get("/o/known/charts/benefits-by-year.svg").get_data(as_text=True)
    assert ">€12,000<" in by_year  # INIT-1 earns 12,000 in each full calendar year
    assert client.get("/o/known/charts/anything.svg").status_code == 404


def test_chart_text_is_literal_svg_text(client):
    organisation = OrganisationFactory(slug="svg")
    StageAssessmentFactory(organisation=organisation, stage="explore")
    body = client.get("/o/svg/charts/ladder.svg").get_data(as_text=True)
    assert "<title>Maturity ladder</title>" in body


def test_the_benefit_chart_does_not_open_on_an_empty_year():
    from datetime import date as day
    from decimal import Decimal as D

    from cxroadmap.overview.services import benefit_years
    from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory

    organisation = OrganisationFactory()
    initiative = InitiativeFactory(organisation=organisation, start_date=day(2027, 1, 1), status="approved")
    BenefitFactory(initiative=initiative, annual_amount=D("12000.00"))
    years = benefit_years(organisation, day(2026, 12, 6), 3, 30)
    assert min(years) == 2027 and years[2027] > 0
