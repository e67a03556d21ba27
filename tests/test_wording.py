"""Words and dates as the reader's language writes them: no ISO dates inside sentences, Dutch that says what the
English means, English articles and grammar that fit."""

from datetime import date
from decimal import Decimal

from flask_babel import force_locale, gettext

from cxroadmap.extensions import db
from cxroadmap.initiatives.services import create_initiative
from tests.factories import BenefitFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import page_text


def test_due_is_not_written_as_done_in_dutch():
    with force_locale("nl"):
        assert gettext("Due") == "Uiterlijk"


def test_a_discount_rate_of_8_percent_needs_no_article(client):
    organisation = OrganisationFactory(slug="words", discount_rate=Decimal("0.08"))
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-1", start_date=date(2027, 1, 1))
    BenefitFactory(initiative=initiative, annual_amount=Decimal("1000.00"))
    text = page_text(client.get("/o/words/initiatives/INIT-1"))
    assert "a 8%" not in text and "discounted at 8% a year" in text


def test_created_in_english_reads_as_aangemaakt_to_a_dutch_reader(client_as):
    organisation = OrganisationFactory(slug="woorden")
    with force_locale("en"):
        ref = create_initiative(organisation, title="Call back", readiness_question="know_customers").ref
    db.session.commit()
    browser = client_as("viewer", organisation, locale="nl")
    text = page_text(browser.get(f"/o/woorden/initiatives/{ref}"))
    assert "Aangemaakt." in text and "Created." not in text


def test_a_score_recorded_is_dated_as_the_reader_writes_dates(client):
    from tests.journey.test_views import journey_with_scores

    journey_with_scores()
    done = client.post("/o/parts/journey/touchpoints/invoice", data={
        "scored_on": "2026-01-10", "expectation": "5", "perception": "4", "respondents": "12"},
        follow_redirects=True)
    text = page_text(done)
    assert "Score of Jan 10, 2026 recorded" in text and "2026-01-10 recorded" not in text
