"""The answer lane: an answer through a public link that is simply right is taken in front of the application, and
the customer cannot tell: the same way to the thanks page with the same headers, counted once against the limit of
their address, behind a proxy too. Everything else reaches the application with the body it sent."""

import contextvars

import pytest
from sqlalchemy import select
from werkzeug.test import Client

from cxroadmap.database import HeldConnections
from cxroadmap.extensions import db
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.surveys.lane import AnswerLane
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.surveys.services import set_origins, set_state, update_survey
from tests.conftest import config_for, wait_for_soon
from tests.surveys.helpers import answer, journey, live_survey, shown


def _answers() -> list[SurveyAnswer]:
    db.session.commit()
    return list(db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)))


def _post_to(application, path: str, data: dict, **kwargs):
    """Posted straight to a WSGI application (the lane, or what stands behind it), as the test browser would."""
    db.session.commit()
    return contextvars.Context().run(Client(application).post, path, data=data, **kwargs)


def test_the_lane_answers_as_the_application_would(app):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    survey.allowed_origins = "https://shop.example.com"
    db.session.commit()
    lane = app.extensions["cxroadmap_answer_lane"]
    assert isinstance(lane, AnswerLane) and app.wsgi_app is lane
    fields = {"shown": shown(survey.code), "score": "4", "expectation": "5", "perception": "6",
              "comment": "Op tijd — dank je"}
    for query, language in (("", "en"), ("?embed=1", "nl")):
        path = f"/f/{survey.code}{query}"
        taken = _post_to(lane, path, {**fields, "lang": language})
        before = len(_answers())
        full_way = _post_to(lane.inner, path, {**fields, "lang": language})
        assert len(_answers()) == before + 1  # the application took the second itself
        assert taken.status_code == full_way.status_code == 303
        assert taken.headers["Location"] == full_way.headers["Location"]
        assert taken.headers["Location"].startswith(f"/f/{survey.code}/thanks?lang={language}")
        assert ("embed=1" in taken.headers["Location"]) == bool(query)
        # Every header alike, but Vary: the application's sign-in hook looked for a session, the lane did not
        # (nobody is signed in here: the answer's way never depends on a cookie).
        assert full_way.headers.get("Vary") == "Cookie" and "Vary" not in taken.headers
        assert sorted(taken.headers.items()) == sorted((k, v) for k, v in full_way.headers.items() if k != "Vary")
        assert "frame-ancestors https://shop.example.com" in taken.headers["Content-Security-Policy"]
        assert taken.get_data() == full_way.get_data()
    wait_for_soon(app)
    stored = _answers()
    assert [(a.score, a.perception, a.comment, a.language, a.settled) for a in stored] == [
        (4, 6, "Op tijd — dank je", "en", True), (4, 6, "Op tijd — dank je", "en", True),
        (4, 6, "Op tijd — dank je", "nl", True), (4, 6, "Op tijd — dank je", "nl", True)]


def test_an_answer_the_lane_leaves_is_counted_once_against_the_limit(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    app.config["SURVEY_ANSWER_LIMIT_PER_ADDRESS"] = "3 per minute"
    try:
        # Left to the application (no score: the page again, with the comment as typed), then two taken.
        missing = answer(anonymous, survey, comment="Forgot the score")
        assert missing.status_code == 422 and "Forgot the score" in missing.get_data(as_text=True)
        statuses = [answer(anonymous, survey, score=9).status_code for _ in range(3)]
    finally:
        app.config.pop("SURVEY_ANSWER_LIMIT_PER_ADDRESS")
    assert statuses == [303, 303, 429]
    assert len(_answers()) == 2


def test_behind_a_proxy_each_client_address_has_its_own_limit(app, database_url):
    from cxroadmap import create_app

    proxied = create_app(config_for(database_url, PROXY_HOPS=1, SURVEY_ANSWER_LIMIT_PER_ADDRESS="1 per minute"))
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)

    def from_address(address):
        data = {"shown": shown(survey.code), "lang": "en", "score": "8"}
        return _post_to(proxied, f"/f/{survey.code}", data, headers={"X-Forwarded-For": address}).status_code

    assert [from_address("203.0.113.7"), from_address("203.0.113.8"), from_address("203.0.113.7")] == \
        [303, 303, 429]
    assert len(_answers()) == 2


def test_a_form_the_lane_does_not_read_is_taken_by_the_application(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    data = {"shown": shown(survey.code), "lang": "nl", "score": "7", "comment": "multipart"}
    response = anonymous.post(f"/f/{survey.code}", data=data, content_type="multipart/form-data")
    assert response.status_code == 303 and response.headers["Location"].endswith("/thanks?lang=nl")
    assert [(a.score, a.comment, a.settled) for a in _answers()] == [(7, "multipart", True)]


def test_a_refused_answer_stores_nothing_whichever_way_it_went(app, anonymous):
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    assert answer(anonymous, survey, score=11).status_code == 422  # off the scale
    assert answer(anonymous, survey, score=9, website="https://spam.example").status_code == 400  # a bot
    assert answer(anonymous, survey, score=9, seconds_ago=0).status_code == 400  # faster than anyone reads
    assert answer(anonymous, survey, score="nine").status_code == 422
    assert _answers() == []


def test_on_postgresql_the_lane_alone_commits_without_waiting_for_the_disk(app, anonymous):
    """The lane's held connections say synchronous_commit = off (SURVEY_ANSWER_DURABLE_COMMIT off); a connection
    it does not hold goes back to the pool with the setting undone, so no other work commits that way."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("a PostgreSQL setting")
    organisation, _touchpoint, _other = journey()
    survey = live_survey(organisation)
    assert answer(anonymous, survey, score=9).status_code == 303
    lane = app.extensions["cxroadmap_answer_lane"]
    assert [c.exec_driver_sql("SHOW synchronous_commit").scalar() for c in lane.held.held] == ["off"]
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "on"
    # One not held (more at once than the lane holds) is reset before the pool has it again.
    unheld = HeldConnections(most=0, settings={"synchronous_commit": "off"})
    with unheld.connection(db.engine) as connection:
        assert connection.exec_driver_sql("SHOW synchronous_commit").scalar() == "off"
        dbapi_connection = connection.connection.dbapi_connection
    assert dbapi_connection.execute("SHOW synchronous_commit").fetchone()[0] == "on"
    dbapi_connection.rollback()


def test_durable_commits_when_asked(database_url):
    from cxroadmap import create_app

    durable = create_app(config_for(database_url, SURVEY_ANSWER_DURABLE_COMMIT=True))
    assert durable.extensions["cxroadmap_answer_lane"].held.settings == {}
    assert create_app(config_for(database_url)).extensions["cxroadmap_answer_lane"].held.settings == {
        "synchronous_commit": "off"}


def test_a_kept_form_takes_no_answer_its_survey_no_longer_asks_for(app, anonymous, count_queries):
    organisation, touchpoint, other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat", rated=[other])
    assert answer(anonymous, survey, score=4).status_code == 303  # the form read, and kept once it took an answer
    wait_for_jobs(app)  # its settling, and the mail that may follow, are done before the count
    anonymous.waits_for_background = False
    app.config["SURVEY_SETTLE_SECONDS"] = 0.3  # the settling that follows is not the request's
    rating = {f"rating_{other.id}": 6}
    assert survey.code  # the test's own objects loaded before the count
    try:
        with count_queries:
            taken = answer(anonymous, survey, score=5, **rating)
    finally:
        app.config["SURVEY_SETTLE_SECONDS"] = 0
        anonymous.waits_for_background = True
    wait_for_jobs(app)
    assert taken.status_code == 303 and "Vary" not in taken.headers  # taken by the lane
    assert len(count_queries.statements) == 1, count_queries.statements
    assert count_queries.statements[0].startswith("INSERT INTO survey_answer")
    # Its sites change: the next answer's way says so at once.
    set_origins(survey, "https://shop.example.com")
    db.session.commit()
    assert "frame-ancestors https://shop.example.com" in \
        answer(anonymous, survey, score=3).headers["Content-Security-Policy"]
    # New questions (the other touchpoint no longer rated): the answer is the new version's, its rating left out.
    update_survey(organisation, survey, title=survey.title, touchpoint=touchpoint, measure="csat", kpi=survey.kpi,
                  period="month", asks_gap=True, rated=[], asks_contact=True, texts=None)
    db.session.commit()
    assert answer(anonymous, survey, score=2, **{f"rating_{other.id}": 6}).status_code == 303
    # Closed: the page says so, and nothing is stored.
    set_state(survey, "closed")
    db.session.commit()
    closed = answer(anonymous, survey, score=1)
    assert closed.status_code == 200 and "closed" in closed.get_data(as_text=True)
    assert [(a.score, a.version.number, a.ratings) for a in _answers()] == [
        (4, 1, {}), (5, 1, {str(other.id): 6}), (3, 1, {}), (2, 2, {})]
