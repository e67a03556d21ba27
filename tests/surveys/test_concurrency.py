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


def test_one_person_invited_twice_at_once_is_asked_once(app):
    """Two invitations of one address at the same moment (an upload and the API): the quiet period holds."""
    from cxroadmap.surveys.invitations.contacts import Contact
    from cxroadmap.surveys.invitations.models import SurveyInvitation
    from cxroadmap.surveys.invitations.services import invite_one
    from cxroadmap.surveys.models import Survey

    organisation, touchpoint, _other = journey()
    first, second = make_survey(organisation, touchpoint), make_survey(organisation, title="Relationship")
    ids = first.id, second.id
    contact = Contact("ann@example.com", "Ann", "en", {})
    race(app, lambda: invite_one(db.session.get(Survey, ids[0]), contact),
         lambda: invite_one(db.session.get(Survey, ids[1]), contact))
    db.session.expire_all()
    states = sorted(db.session.scalars(select(SurveyInvitation.state)))
    assert states == ["queued", "quiet"]
