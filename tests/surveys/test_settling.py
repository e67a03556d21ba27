"""Settling public answers: an answer through a public link is stored at once by one insert, and what it moves (the
day's tally, the KPI's reading, the touchpoint's scores, a follow-up case) follows within seconds, with no command
run by anyone: settled by a thread of the process that took it, a flood of answers a batch at a time, and what a
stopped process left by the scheduler."""

import time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.journey.models import TouchpointScore
from cxroadmap.measures.models import KpiReading
from cxroadmap.scheduler import do_work, timed_work
from cxroadmap.surveys import settling
from cxroadmap.surveys.answering import Given, PublicForm, answer_values, public_form
from cxroadmap.surveys.models import SurveyAnswer, SurveyTally
from cxroadmap.timeutil import utcnow
from tests.conftest import POSTGRES_URL
from tests.surveys.helpers import answer, journey, live_survey
from tests.test_concurrency import race


def _reading(survey):
    db.session.commit()  # a new transaction sees what was committed since (SQLite keeps a reader's snapshot)
    return db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id))


def _counted(survey) -> int:
    return int(db.session.scalar(select(func.sum(SurveyTally.answers)).where(SurveyTally.survey_id == survey.id))
               or 0)


def _settled() -> list[bool]:
    db.session.commit()
    return list(db.session.scalars(select(SurveyAnswer.settled).order_by(SurveyAnswer.id)))


def _take(survey, score: int, expectation=None, perception=None) -> None:
    """An answer stored as the public page stores it, not yet settled (as a process that stopped right after)."""
    with db.engine.connect() as connection:
        form = public_form(survey.code, connection)
        connection.rollback()
        assert settling.take_answer_if_current(answer_values(
            form, form.version, Given(score=score, expectation=expectation, perception=perception), "en", {},
            utcnow()), form, connection)


def test_a_public_answer_is_one_insert_and_the_kpi_moves_within_seconds_with_nothing_run(app, anonymous,
                                                                                       count_queries):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    app.config["SURVEY_SETTLE_SECONDS"] = 0.3
    anonymous.waits_for_background = False  # the test looks at once, then as a person would a moment later
    assert survey.code  # loaded before the count: the test's own reading is not the request's
    try:
        with count_queries:
            response = answer(anonymous, survey, score=5, expectation=4, perception=6)
        assert response.status_code == 303
        # The request read the survey's questions and stored the answer: nothing else.
        assert len(count_queries.statements) == 2, count_queries.statements
        assert count_queries.statements[1].startswith("INSERT INTO survey_answer")
        assert _settled() == [False] and _reading(survey) is None and _counted(survey) == 0
        deadline = time.monotonic() + 5
        while _reading(survey) is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        app.config["SURVEY_SETTLE_SECONDS"] = 0
    reading = _reading(survey)
    assert reading is not None, "the KPI had no reading 5 seconds after the answer"
    assert (reading.value, reading.respondents) == (Decimal("100.00"), 1)
    assert _settled() == [True] and _counted(survey) == 1
    score = db.session.scalar(select(TouchpointScore).where(TouchpointScore.touchpoint_id == touchpoint.id))
    assert (score.expectation, score.perception, score.respondents) == (Decimal("4.00"), Decimal("6.00"), 1)


def test_answers_arriving_together_are_settled_together_in_the_same_few_statements(app, count_queries):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="nps")
    counts = []
    for n in (1, 30):
        for i in range(n):
            _take(survey, score=i % 11, expectation=5, perception=i % 7 + 1)
        db.session.commit()
        with count_queries:
            assert settling.settle_waiting() == n
        counts.append(len(count_queries.statements))
    # The batch, its marking, its survey, the tally, the KPI's and the touchpoint's rows and readings, the
    # organisation and its case rule (read once for all): the same for 30 answers as for one, but for the cases
    # the unhappy answers open (each: its row, its trail event, who is told, the events it sends).
    opened = db.session.scalar(select(func.count()).select_from(Case)) - 1  # the first answer, a 0, opened one
    assert 0 < opened < 30 and counts[1] - counts[0] <= 6 * (opened - 1), (counts, opened)
    reading = _reading(survey)
    assert reading.respondents == 31 and _counted(survey) == 31
    assert all(_settled())
    # ... and a second run finds nothing to do.
    assert settling.settle_waiting() == 0


def test_the_scheduler_settles_what_a_stopped_process_left(app):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    _take(survey, score=1)
    _take(survey, score=5)
    db.session.commit()
    work = next(work for work in timed_work() if work.name == "survey-settling")
    assert work.due(utcnow()) == 2
    assert do_work(work, utcnow()) == 2
    assert work.said(2) == "Settled 2 survey answers."
    assert (_reading(survey).value, _reading(survey).respondents) == (Decimal("50.00"), 2)
    # The unhappy answer opened its follow-up case as it would have at once.
    assert [case.score for case in db.session.scalars(select(Case))] == [1]
    assert work.due(utcnow()) == 0


def test_answers_not_yet_settled_are_not_counted_twice_when_a_day_is_counted_again(app):
    """Erasure and changed answers count their day again from the answers: the ones waiting are counted once, when
    they are settled."""
    from cxroadmap.surveys import tally

    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    _take(survey, score=5)
    db.session.commit()
    tally.recount(survey.id, utcnow().date(), utcnow().date())
    db.session.commit()
    assert _counted(survey) == 0
    settling.settle_waiting()
    assert _counted(survey) == 1


def test_a_closed_survey_takes_nothing_quickly_and_says_so(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    with db.engine.connect() as connection:
        assert isinstance(public_form(survey.code, connection), PublicForm)
        assert public_form("nothing1", connection) is None and public_form("../x", connection) is None
    survey.state = "closed"
    db.session.commit()
    response = answer(anonymous, survey, score=9)
    assert response.status_code == 200 and "closed" in response.get_data(as_text=True)
    assert _settled() == []


@pytest.mark.skipif(not POSTGRES_URL, reason="SQLite serialises writers; the races live on PostgreSQL")
def test_two_processes_settling_at_once_take_different_answers_and_count_each_once(app):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    for score in (5, 4, 1, 2):
        _take(survey, score=score)
    db.session.commit()
    race(app, lambda: settling.settle(settling.waiting(limit=2)), lambda: settling.settle(settling.waiting(limit=10)))
    assert all(_settled()) and _counted(survey) == 4
    assert (_reading(survey).value, _reading(survey).respondents) == (Decimal("50.00"), 4)


@pytest.mark.skipif(not POSTGRES_URL, reason="on SQLite no connection is held: each answer takes the pool's")
def test_an_answer_is_taken_though_the_database_server_dropped_the_connection_held_for_answers(app, anonymous):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="csat")
    assert answer(anonymous, survey, score=5).status_code == 303
    held = app.extensions["cxroadmap_answer_lane"].held.held
    assert held
    for connection in held:
        connection.connection.dbapi_connection.close()  # what a restarted server leaves behind
    assert answer(anonymous, survey, score=4).status_code == 303
    assert _settled() == [True, True] and _reading(survey).respondents == 2
    assert answer(anonymous, survey, score=3).status_code == 303
    assert _settled() == [True, True, True]
