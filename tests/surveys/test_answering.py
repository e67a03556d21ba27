"""Answering through the public link: stored with its version and hidden fields, moving the KPI and the touchpoint
at once, the signal sent; floods refused kindly, storing nothing."""

from decimal import Decimal

from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures.feedback import answer_recorded
from cxroadmap.measures.models import KpiReading
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.surveys.services import update_survey
from cxroadmap.timeutil import today
from tests.surveys.helpers import answer, journey, live_survey, shown


def _answers():
    return list(db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)))


def test_an_answer_is_stored_and_moves_the_kpi_and_the_touchpoint_at_once(app, anonymous):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", rated=[other])
    page = anonymous.get(f"/f/{survey.code}?order=SO-123&customer=C42&channel=phone&utm=x",
                         headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and 'lang="nl"' in body and 'value="SO-123"' in body and 'name="utm"' not in body
    assert "Acme B.V." in body
    response = answer(anonymous, survey, score=6, expectation=5, perception=6, **{f"rating_{other.id}": 4},
                      comment="Driver was early.", order="SO-123", customer="C42", channel="phone", lang="nl")
    assert response.status_code == 303
    stored = _answers()
    assert len(stored) == 1
    first = stored[0]
    assert (first.score, first.expectation, first.perception, first.ratings) == (6, 5, 6, {str(other.id): 4})
    assert first.hidden == {"order": "SO-123", "customer": "C42", "channel": "phone"}
    assert first.language == "nl" and first.contact_email is None and first.version.number == 1
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id))
    assert (reading.value, reading.respondents, reading.taken_on) == (Decimal("6.00"), 1, today().replace(day=1))
    answer(anonymous, survey, score=3, expectation=6, perception=3)
    db.session.expire_all()
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id))
    assert (reading.value, reading.respondents) == (Decimal("4.50"), 2)
    score = db.session.scalar(select(TouchpointScore).where(TouchpointScore.touchpoint_id == touchpoint.id))
    assert (score.expectation, score.perception, score.respondents) == (Decimal("5.50"), Decimal("4.50"), 2)
    assert db.session.scalar(select(func.count()).select_from(TouchpointScore)) == 1


def test_the_signal_carries_the_answer(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    heard = []

    def listen(sender, answer):
        heard.append(answer)

    answer_recorded.connect(listen)
    try:
        answer(anonymous, survey, score=2, expectation=6, perception=2, comment="Late again.", consent="y",
               contact_name="Jan", contact="jan@example.com")
    finally:
        answer_recorded.disconnect(listen)
    assert len(heard) == 1
    heard = heard[0]
    stored = _answers()[0]
    assert (heard.organisation_id, heard.source, heard.answer_id, heard.measure, heard.score) == (
        organisation.id, "survey", stored.id, "csat", 2)
    assert (heard.touchpoint_id, heard.gap, heard.comment) == (touchpoint.id, -4, "Late again.")
    assert (heard.contact_name, heard.contact, heard.survey_title) == ("Jan", "jan@example.com", survey.title)
    assert stored.contact_email == "jan@example.com"


def test_contact_details_are_kept_only_with_consent(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    answer(anonymous, survey, score=9, contact_name="Piet", contact="piet@example.com")
    stored = _answers()[0]
    assert stored.contact_email is None and stored.contact_name is None and stored.contact_phone is None
    refused = answer(anonymous, survey, score=9, consent="y", contact="not an address")
    assert refused.status_code == 422 and "neither an email address nor a phone number" in refused.get_data(True)
    answer(anonymous, survey, score=10, consent="y", contact="+31 6 1234 5678")
    assert _answers()[-1].contact_phone == "+31 6 1234 5678"


def test_the_headline_score_is_needed_and_the_rest_may_stay_empty(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    missing = answer(anonymous, survey, comment="Only a comment", expectation=4)
    body = missing.get_data(as_text=True)
    assert missing.status_code == 422 and "Choose a score" in body and "Only a comment" in body
    assert 'value="4" checked' in body
    assert _answers() == []
    assert answer(anonymous, survey, score=11).status_code == 422
    assert answer(anonymous, survey, score=8).status_code == 303
    assert _answers()[0].expectation is None


def test_changed_questions_of_a_live_survey_make_a_new_version_and_old_answers_keep_theirs(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    answer(anonymous, survey, score=9)
    texts = {"comment": {"en": "What should we change first?", "nl": "Wat moeten we eerst veranderen?"}}
    update_survey(organisation, survey, title=survey.title, touchpoint=touchpoint, measure="nps", kpi=survey.kpi,
                  period="month", asks_gap=True, rated=[], asks_contact=True, texts=texts)
    db.session.commit()
    assert [v.number for v in survey.versions] == [1, 2]
    page = anonymous.get(f"/f/{survey.code}")
    assert "What should we change first?" in page.get_data(as_text=True)
    answer(anonymous, survey, score=7)
    first, second = _answers()
    assert (first.version.number, second.version.number) == (1, 2)
    # A title alone is no change of questions.
    update_survey(organisation, survey, title="Renamed", touchpoint=touchpoint, measure="nps", kpi=survey.kpi,
                  period="month", asks_gap=True, rated=[], asks_contact=True, texts=texts)
    db.session.commit()
    assert len(survey.versions) == 2


def test_floods_are_refused_kindly_and_store_nothing(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    bot = answer(anonymous, survey, score=10, website="http://spam.example")
    assert bot.status_code == 400 and "could not be taken" in bot.get_data(as_text=True)
    hasty = answer(anonymous, survey, seconds_ago=0, score=10)
    assert hasty.status_code == 400 and "faster than anyone" in hasty.get_data(as_text=True)
    forged = anonymous.post(f"/f/{survey.code}", data={"shown": "made-up", "score": "10"})
    assert forged.status_code == 400
    other = live_survey(organisation, title="Another")
    assert answer(anonymous, survey, score=10).status_code == 303
    elsewhere = anonymous.post(f"/f/{other.code}", data={"shown": shown(survey.code), "score": "10"})
    assert elsewhere.status_code == 400
    assert len(_answers()) == 1


def test_an_address_that_sends_too_many_answers_is_paused(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    app.config["SURVEY_ANSWER_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        statuses = [answer(anonymous, survey, score=9).status_code for _ in range(4)]
    finally:
        app.config.pop("SURVEY_ANSWER_LIMIT_PER_ADDRESS")
    assert statuses == [303, 303, 303, 429]
    assert len(_answers()) == 3


def test_a_draft_or_closed_survey_takes_no_answer_and_an_unknown_code_is_404(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    survey.state = "closed"
    db.session.commit()
    assert "closed" in anonymous.get(f"/f/{survey.code}").get_data(as_text=True)
    assert answer(anonymous, survey, score=9).status_code == 200
    assert _answers() == []
    assert anonymous.get("/f/nothing1").status_code == 404


def test_an_answer_takes_a_small_constant_number_of_queries(app, count_queries):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, rated=[other])
    given = Given(score=8, expectation=5, perception=6, ratings={other.id: 5}, comment="Fine")
    counts = []
    for _ in range(3):
        db.session.expire_all()
        from cxroadmap.surveys.answering import live_survey as load

        with count_queries:
            record_answer(load(survey.code), given, "en", {})
        counts.append(count_queries.count)
        db.session.commit()
    # The answer, the KPI's reading and what it tells (its events, to the webhooks and the chat channels that take
    # them), the touchpoint's scores, the two row locks, the alert rule the follow-up cases hold it to (an 8 opens
    # no case), the day's tally counting it: the same each time.
    assert counts[1] == counts[2] and counts[2] <= 21, counts

