"""Two answers at the same moment (PostgreSQL): the period's reading counts both, and is written once."""

import pytest
from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.measures.models import KpiReading
from cxroadmap.surveys.answering import Given, live_survey, record_answer
from tests.conftest import POSTGRES_URL
from tests.surveys.helpers import journey
from tests.surveys.helpers import live_survey as make_survey
from tests.test_concurrency import race

pytestmark = pytest.mark.skipif(not POSTGRES_URL, reason="SQLite serialises writers; the races live on PostgreSQL")


def test_two_answers_at_once_are_both_counted_in_one_reading(app):
    organisation, touchpoint, _other = journey()
    survey = make_survey(organisation, touchpoint, measure="csat")
    code = survey.code
    outcome = race(app, lambda: record_answer(live_survey(code), Given(score=5, expectation=6, perception=6), "en",
                                              {}),
                   lambda: record_answer(live_survey(code), Given(score=1, expectation=6, perception=2), "en", {}))
    assert "refused" not in outcome
    db.session.expire_all()
    readings = list(db.session.scalars(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id)))
    assert [(r.respondents, r.value) for r in readings] == [(2, 50)]
