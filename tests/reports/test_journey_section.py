"""The roadmap PDF's "Customer experience measures": the journey's gap chart and its moments of truth."""

from datetime import date, timedelta
from decimal import Decimal as D

from cxroadmap.timeutil import today
from tests.factories import (
    JourneyStageFactory,
    OrganisationFactory,
    TeamFactory,
    TouchpointFactory,
    TouchpointScoreFactory,
)
from tests.reports.test_reports import render, text_of


def test_the_roadmap_draws_every_touchpoints_gap_and_lists_the_moments_of_truth():
    organisation = OrganisationFactory(slug="pdf", name="Pdf B.V.")
    delivery = JourneyStageFactory(organisation=organisation, name="Delivery", position=1)
    billing = JourneyStageFactory(organisation=organisation, name="Billing", position=2)
    field = TeamFactory(organisation=organisation, name="Field service")
    on_site = TouchpointFactory(stage=delivery, name="The part is on site before 10:00", moment_of_truth=True,
                                team_id=field.id)
    TouchpointScoreFactory(touchpoint=on_site, scored_on=today() - timedelta(days=30), expectation=D("6.5"),
                           perception=D("4.25"), respondents=118)
    stale = TouchpointFactory(stage=billing, name="<Invoice> & credit", moment_of_truth=True)
    TouchpointScoreFactory(touchpoint=stale, scored_on=date(2020, 1, 1), expectation=D("5"), perception=D("5.5"))
    TouchpointFactory(stage=billing, name="Payment reminder")
    text = text_of(render(organisation))
    section = text.split("Customer experience measures", 2)[-1]
    assert "The journey: the gap at each touchpoint" in section
    assert "−2.25" in section and "+0.5" in section and "not scored" in section
    # (−2.25 × 118 + 0.5 × 40) / 158 = (−265.5 + 20) / 158 = −1.5538…
    assert "Overall gap, weighted by respondents: −1.55" in section
    moments = section.split("Moments of truth", 1)[1]
    assert "The part is on site before 10:00" in moments and "Field service" in moments and "118" in moments
    assert "<Invoice> & credit" in moments and "no owner" in moments and "(!)" in moments
    assert "Payment reminder" not in moments


def test_an_organisation_without_touchpoints_says_so():
    text = text_of(render(OrganisationFactory(slug="bare")))
    assert "Customer experience measures" in text and "No touchpoints on the journey yet." in text
