"""What moves the score, on the survey's page: the touchpoints its answers rated, each with its share and mean
rating, and the one to fix first (important and doing worse than the others)."""

from datetime import timedelta
from decimal import Decimal

from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.drivers import FIX_FIRST, POSSIBLE_OVERKILL, survey_drivers
from cxroadmap.timeutil import today, utcnow
from tests.factories import TouchpointFactory
from tests.helpers import page_text
from tests.surveys.helpers import journey, live_survey


def _answers(survey, delivery, invoice, count=40):
    """The score follows the delivery rating exactly (twice it, 2–8) and owes nothing to the invoice rating, which
    is 6 for one run of the four delivery ratings and 7 for the next: delivery explains all of it. Delivery is
    rated 1–4 (mean 2.5), the invoice 6–7 (mean 6.5)."""
    for index in range(count):
        rating = index % 4 + 1
        given = Given(score=2 * rating, ratings={delivery.id: rating, invoice.id: 6 + index // 4 % 2})
        record_answer(survey, given, "en", {}, now=utcnow() - timedelta(minutes=index))
    db.session.commit()


def test_the_touchpoint_that_drives_the_score_and_does_worst_is_the_one_to_fix_first(client_as):
    organisation, delivery, invoice = journey()
    survey = live_survey(organisation, rated=[delivery, invoice])
    _answers(survey, delivery, invoice)
    found = survey_drivers(survey, today())
    assert found.analysis.n == 40 and found.analysis.r_squared == Decimal("1.0000")
    first, second = found.rows
    # By hand: the score is a straight line of the delivery rating (r = 1), and the invoice rating is
    # uncorrelated with it (each invoice rating meets each delivery rating equally often), so delivery's share is
    # all of R² and the invoice's none.
    assert (first.key, first.share, first.correlation) == ("delivery", Decimal("100.00"), Decimal("1.0000"))
    assert (second.key, second.share) == ("invoice", Decimal("0.00"))
    assert (first.performance, second.performance) == (Decimal("2.50"), Decimal("6.50"))
    assert (first.quadrant, second.quadrant) == (FIX_FIRST, POSSIBLE_OVERKILL)

    english = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "What moves the score" in english and "From the 40 answers since" in english
    assert "Fix first: Delivery before 10:00" in english and "100.0 %" in english and "Possible overkill" in english
    dutch = page_text(client_as("viewer", organisation, locale="nl").get(f"/o/acme/surveys/{survey.id}"))
    assert "Wat de score beweegt" in dutch and "100,0 %" in dutch and "Eerst verbeteren" in dutch


def test_too_few_complete_answers_say_how_many_the_analysis_needs(client_as):
    organisation, delivery, invoice = journey()
    third = TouchpointFactory(stage=delivery.stage, key="returns", name="Returns")
    survey = live_survey(organisation, rated=[delivery, invoice, third])
    _answers(survey, delivery, invoice, count=12)  # they rate two of the three: none rated every touchpoint
    page = page_text(client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}"))
    assert "Not shown: 0 answers rated every touchpoint, and the analysis needs 30" in page


def test_a_survey_that_rates_no_touchpoint_has_no_driver_section(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    assert survey_drivers(survey, today()) is None
    assert "What moves the score" not in page_text(client_as("viewer", organisation).get(
        f"/o/acme/surveys/{survey.id}"))
