"""What customers say, heard across the organisation: the overview, the dashboard, the journey and KPI pages."""

from datetime import timedelta

from sqlalchemy import update

from cxroadmap.extensions import db
from cxroadmap.surveys import tally
from cxroadmap.surveys.listening import organisation_listening
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.timeutil import today, utcnow
from tests.helpers import page_text
from tests.surveys.helpers import answer, journey, live_survey

PAGES = ("/o/acme/", "/o/acme/dashboard", "/o/acme/journey")


def _answers(anonymous, survey):
    answer(anonymous, survey, score=2, expectation=7, perception=2, comment="Arrived at noon, again.")
    answer(anonymous, survey, score=6, expectation=6, perception=6, comment="On time this week.")
    answer(anonymous, survey, score=5, expectation=6, perception=5)
    # One answer of three days ago: in the last seven days, not today.
    db.session.execute(update(SurveyAnswer).where(SurveyAnswer.comment == "")
                       .values(answered_on=today() - timedelta(days=3),
                               answered_at=utcnow() - timedelta(days=3)))
    tally.recount(survey.id, today() - timedelta(days=3), today())  # the daily counts follow the answers moved
    db.session.commit()


def test_the_overview_the_dashboard_and_the_journey_hear_customers_as_they_answer(client_as, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title="After delivery")
    browser = client_as("viewer", organisation)
    for path in PAGES[:2]:
        assert "No survey is live yet" not in page_text(browser.get(path))
    _answers(anonymous, survey)
    for path in PAGES:
        text = page_text(browser.get(path))
        assert "What customers say" in text, path
        assert "Answers today 2" in text and "Last 7 days 3" in text and "Live surveys 1" in text, path
        # The latest comment first, with where it was given.
        assert text.index("On time this week.") < text.index("Arrived at noon, again."), path
        assert "After delivery · Delivery before 10:00 · score 6" in text, path


def test_a_quiet_organisation_is_told_how_to_start_and_the_journey_stays_uncluttered(client_as):
    organisation, _touchpoint, _other = journey()
    browser = client_as("viewer", organisation)
    assert "No survey is live yet" in page_text(browser.get("/o/acme/"))
    assert "What customers say" not in page_text(browser.get("/o/acme/journey"))


def test_the_panel_costs_the_same_queries_with_three_or_thirty_answers(client_as, anonymous, count_queries):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces")
    browser = client_as("viewer", organisation)
    _answers(anonymous, survey)
    browser.get("/o/acme/")
    with count_queries as few:
        browser.get("/o/acme/")
    for score in range(27):
        answer(anonymous, survey, score=score % 7 + 1, expectation=5, perception=5, comment=f"Comment {score}")
    browser.get("/o/acme/")
    with count_queries as many:
        browser.get("/o/acme/")
    assert len(many.statements) == len(few.statements)


def test_the_kpi_page_hears_its_survey_today(client_as, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces")
    answer(anonymous, survey, score=2, expectation=7, perception=2, comment="Arrived at noon, again.")
    browser = client_as("viewer", organisation)
    text = page_text(browser.get(f"/o/acme/kpis/{survey.kpi.code}"))
    assert "Answers today: 1" in text and "Arrived at noon, again." in text


def test_another_organisations_answers_are_not_heard(client_as, anonymous):
    organisation, touchpoint, _other = journey()
    other_organisation, other_touchpoint, _ = journey("other")
    survey = live_survey(other_organisation, other_touchpoint, measure="ces")
    answer(anonymous, survey, score=2, expectation=7, perception=2, comment="Someone else's customer.")
    live_survey(organisation, touchpoint, measure="ces")
    text = page_text(client_as("viewer", organisation).get("/o/acme/"))
    assert "Answers today 0" in text and "Someone else's customer." not in text


def test_the_latest_comments_come_with_their_survey_and_touchpoint_for_no_further_query(anonymous, count_queries):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title="After delivery")
    _answers(anonymous, survey)
    organisation_id = organisation.id
    db.session.remove()  # as a new request starts: nothing of the organisation is known yet
    with count_queries as asked:
        heard = organisation_listening(organisation_id, today())
        said = [(c.comment, c.survey.title, c.survey.touchpoint.name) for c in heard.comments]
    assert said == [("On time this week.", "After delivery", "Delivery before 10:00"),
                    ("Arrived at noon, again.", "After delivery", "Delivery before 10:00")]
    # The surveys with their touchpoints, the daily counts, and each survey's newest comments: nothing per comment.
    assert len(asked.statements) == 3
