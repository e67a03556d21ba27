"""The demo organisation listens: two live surveys with a year of answers that the KPIs and the journey show."""

from sqlalchemy import func, select

from cxroadmap.demo import seed_demo
from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint, TouchpointScore
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.surveys.models import Survey, SurveyAnswer
from cxroadmap.surveys.settling import SURVEY_SOURCE


def test_the_demo_has_a_relationship_nps_and_a_ces_at_its_moment_of_truth():
    organisation = seed_demo()
    db.session.commit()
    surveys = {s.measure: s for s in db.session.scalars(Survey.scoped_to(organisation))}
    assert set(surveys) == {"nps", "ces"} and {s.state for s in surveys.values()} == {"live"}
    assert surveys["nps"].touchpoint is None and surveys["nps"].kpi.code == "NPS-REL"
    assert surveys["ces"].touchpoint.key == "on-site-before-10" and surveys["ces"].touchpoint.moment_of_truth
    answers = db.session.scalar(select(func.count()).select_from(SurveyAnswer))
    assert 1500 <= answers <= 5000
    first, last = db.session.execute(select(func.min(SurveyAnswer.answered_on),
                                            func.max(SurveyAnswer.answered_on))).one()
    assert (last - first).days >= 330
    months = db.session.scalar(select(func.count()).select_from(KpiReading).join(Kpi).where(
        Kpi.code == "CES-DEL", KpiReading.respondents > 50))
    assert months == 12
    scores = db.session.scalar(select(func.count()).select_from(TouchpointScore).join(Touchpoint).where(
        Touchpoint.key == "on-site-before-10", TouchpointScore.source == SURVEY_SOURCE))
    assert scores == 12


def test_the_demo_relationship_survey_shows_what_moves_its_score():
    from cxroadmap.surveys.drivers import survey_drivers
    from cxroadmap.timeutil import today

    organisation = seed_demo()
    db.session.commit()
    relationship = db.session.scalar(Survey.scoped_to(organisation).where(Survey.measure == "nps"))
    found = survey_drivers(relationship, today())
    assert found.analysis.shown and found.analysis.n >= found.analysis.needed
    assert abs(sum(row.share for row in found.rows) - 100) < 1  # shares of R², rounded to two places each
    assert all(row.quadrant for row in found.rows)
    assert [row.key for row in found.fix_first] == ["on-site-before-10"]  # the moment of truth, as the demo tells
