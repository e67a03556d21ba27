"""Readiness assessments: scoring the three questions and reading the latest score of each."""

from datetime import date, timedelta

from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_text, tidy


def check_readiness_assessment(values: dict) -> Problems:
    problems = Problems()
    problems.require(values["question"] in QUESTIONS, "question", QUESTIONS.describe())
    score = values["score"]
    problems.require(isinstance(score, int) and not isinstance(score, bool) and 0 <= score <= MAX_SCORE,
                     "score", _("A score is a whole number from 0 to %(most)s.", most=MAX_SCORE))
    check_text(problems, "evidence", values["evidence"], 10000)
    check_date(problems, "assessed_on", values["assessed_on"], required=True,
               not_after=today() + timedelta(days=1))
    return problems


def assess_readiness(organisation: Organisation, question: str, score: int, assessed_on: date,
                     evidence: str = "") -> ReadinessAssessment:
    """Record how well the organisation answers question; the latest assessment per question counts."""
    values = {"question": question, "score": score, "assessed_on": assessed_on, "evidence": tidy(evidence)}
    check_readiness_assessment(values).raise_if_any()
    assessment = ReadinessAssessment(organisation_id=organisation.id, **values)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def readiness_history(organisation: Organisation) -> dict[str, list[ReadinessAssessment]]:
    """Each question's assessments, the most recent first (an empty list before the first)."""
    query = ReadinessAssessment.scoped_to(organisation).order_by(
        ReadinessAssessment.assessed_on.desc(), ReadinessAssessment.id.desc())
    history = {key: [] for key in QUESTIONS.keys}
    for assessment in db.session.scalars(query):
        history[assessment.question].append(assessment)
    return history


def readiness_scores(organisation: Organisation) -> dict[str, ReadinessAssessment | None]:
    """The latest assessment of each question, or None where it was never assessed."""
    return {key: (items[0] if items else None) for key, items in readiness_history(organisation).items()}
