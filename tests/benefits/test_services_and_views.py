from datetime import date
from decimal import Decimal as D

import pytest

from cxroadmap.benefits import services
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import field_error, page_text


def add(initiative, **values):
    return services.add_benefit(initiative, **{"kind": "revenue_retention", **values})


def test_drivers_fix_the_annual_amount():
    benefit = add(InitiativeFactory(), volume=D("1800"), rate=D("0.01"), unit_value=D("9500"), confidence=D("0.6"))
    assert benefit.annual_amount == D("171000.00")
    assert services.describe_drivers(benefit, "EUR") == "1,800 × 1% × €9,500.00"
    assert services.describe_drivers(benefit, "EUR", "nl") == "1.800 × 1% × €\u00a09.500,00"


def test_a_contradicting_annual_amount_is_refused():
    with pytest.raises(DomainError) as refusal:
        add(InitiativeFactory(), volume=D("10"), rate=D("0.5"), unit_value=D("100"), annual_amount=D("999"))
    assert "500.00" in refusal.value.errors["annual_amount"]


def test_half_the_drivers_is_refused_and_a_direct_amount_needs_no_drivers():
    with pytest.raises(DomainError) as refusal:
        add(InitiativeFactory(), volume=D("10"))
    assert {"rate", "unit_value"} <= set(refusal.value.errors)
    assert add(InitiativeFactory(), annual_amount=D("5000")).annual_amount == D("5000.00")
    with pytest.raises(DomainError):
        add(InitiativeFactory())


@pytest.mark.parametrize("values, field", [
    ({"annual_amount": D("100"), "confidence": D("1.2")}, "confidence"),
    ({"annual_amount": D("-100")}, "annual_amount"),
    ({"volume": D("10"), "rate": D("2"), "unit_value": D("1")}, "rate"),
    ({"annual_amount": D("100"), "ramp_months": -1}, "ramp_months"),
    ({"annual_amount": D("100"), "kind": "goodwill"}, "kind"),
])
def test_values_out_of_range_are_refused(values, field):
    with pytest.raises(DomainError) as refusal:
        add(InitiativeFactory(), **values)
    assert field in refusal.value.errors


def test_portfolio_totals_leave_out_archived_and_cancelled_initiatives():
    organisation = OrganisationFactory(discount_rate=D("0.10"))
    live = InitiativeFactory(organisation=organisation, start_date=date(2026, 1, 1), one_off_cost=D("10000"))
    BenefitFactory(initiative=live, annual_amount=D("12000"))
    BenefitFactory(initiative=InitiativeFactory(organisation=organisation, archived=True), annual_amount=D("1"))
    BenefitFactory(initiative=InitiativeFactory(organisation=organisation, status="cancelled"), annual_amount=D("1"))
    figures = services.portfolio(organisation, 3, date(2026, 1, 1))
    assert figures.totals.annual_expected == D("12000.00")
    assert figures.totals.npv == D("19842.22")  # the flat example worked by hand in test_calc
    assert figures.by_kind["cost_reduction"] == D("12000.00")


def test_the_initiative_page_shows_the_business_case(client):
    organisation = OrganisationFactory(discount_rate=D("0.10"))
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=date(2026, 1, 1),
                                   one_off_cost=D("10000"))
    BenefitFactory(initiative=initiative, annual_amount=D("12000"), description="Fewer repeat calls")
    text = page_text(client.get(f"/o/{organisation.slug}/initiatives/INIT-1"))
    assert "Fewer repeat calls" in text
    assert "€19,842" in text  # NPV
    assert "260%" in text  # ROI
    assert "10 mo" in text  # payback


def test_add_edit_and_delete_an_estimate_through_the_pages(client):
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    base = f"/o/{organisation.slug}/initiatives/INIT-1/benefits"
    response = client.post(f"{base}/new", data={"kind": "cost_reduction", "volume": "42,000", "rate": "8%",
                                                "unit_value": "6,50", "confidence": "70%", "ramp_months": "6"})
    assert response.status_code == 302
    benefit = db.session.scalar(db.select(BenefitEstimate))
    assert (benefit.annual_amount, benefit.rate, benefit.confidence) == (D("21840.00"), D("0.08"), D("0.7"))
    response = client.post(f"{base}/{benefit.id}/edit", data={"kind": "cost_reduction", "annual_amount": "5000"})
    assert response.status_code == 302
    db.session.refresh(benefit)
    assert (benefit.annual_amount, benefit.volume) == (D("5000.00"), None)
    assert client.post(f"{base}/{benefit.id}/delete").status_code == 302
    assert db.session.scalar(db.select(db.func.count()).select_from(BenefitEstimate)) == 0


def test_a_refused_estimate_shows_why_beside_the_field(client):
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    response = client.post(f"/o/{organisation.slug}/initiatives/INIT-1/benefits/new",
                           data={"kind": "cost_reduction", "volume": "100", "rate": "", "unit_value": "3"})
    assert response.status_code == 422
    assert "all three drivers" in field_error(response, "rate")
    assert db.session.scalar(db.select(db.func.count()).select_from(BenefitEstimate)) == 0


def test_an_estimate_is_only_reached_through_its_own_initiative_and_organisation(client):
    mine, theirs = OrganisationFactory(), OrganisationFactory()
    InitiativeFactory(organisation=mine, ref="INIT-1")
    other_initiative = InitiativeFactory(organisation=mine, ref="INIT-2")
    foreign = BenefitFactory(initiative=InitiativeFactory(organisation=theirs, ref="INIT-1"))
    sibling = BenefitFactory(initiative=other_initiative)
    assert client.get(f"/o/{mine.slug}/initiatives/INIT-1/benefits/{foreign.id}/edit").status_code == 404
    assert client.post(f"/o/{mine.slug}/initiatives/INIT-1/benefits/{foreign.id}/delete").status_code == 404
    assert client.get(f"/o/{mine.slug}/initiatives/INIT-1/benefits/{sibling.id}/edit").status_code == 404
    assert db.session.scalar(db.select(db.func.count()).select_from(BenefitEstimate)) == 2


def test_an_estimate_with_five_bad_values_hears_all_five_at_once(client):
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation, ref="INIT-1")
    response = client.post(f"/o/{organisation.slug}/initiatives/INIT-1/benefits/new", data={
        "kind": "cost_reduction", "volume": "lots", "rate": "200%", "unit_value": "-5", "confidence": "3",
        "ramp_months": "999"})
    assert response.status_code == 422
    assert "Enter a number" in field_error(response, "volume")
    assert "Rate is a share" in field_error(response, "rate")
    assert "Unit value is an amount" in field_error(response, "unit_value")
    assert "Confidence is a share" in field_error(response, "confidence")
    assert "Ramp-up is a whole number" in field_error(response, "ramp_months")
