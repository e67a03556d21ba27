"""Stage assessments: recording where the organisation stands, its current stage and its history."""

from datetime import date, timedelta

from cxroadmap.extensions import db
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.organisations.models import Organisation
from cxroadmap.stages import STAGE_EXPERIENCE, STAGE_SERVICE_POSTURE, STAGES
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy


def check_stage_assessment(values: dict) -> Problems:
    problems = Problems()
    problems.require(values["stage"] in STAGES, "stage", STAGES.describe())
    # A day's grace: the server's UTC date may trail the assessor's own.
    check_date(problems, "assessed_on", values["assessed_on"], required=True,
               not_after=today() + timedelta(days=1))
    check_line(problems, "assessed_by", values["assessed_by"], 200)
    check_text(problems, "rationale", values["rationale"], 10000)
    return problems


def assess_stage(organisation: Organisation, stage: str, assessed_on: date, assessed_by: str = "",
                 rationale: str = "") -> StageAssessment:
    """Record that the organisation stood at stage on assessed_on; the latest assessment is its current stage."""
    values = {"stage": stage, "assessed_on": assessed_on, "assessed_by": tidy(assessed_by),
              "rationale": tidy(rationale)}
    check_stage_assessment(values).raise_if_any()
    assessment = StageAssessment(organisation_id=organisation.id, **values)
    db.session.add(assessment)
    db.session.flush()
    return assessment


def stage_history(organisation: Organisation) -> list[StageAssessment]:
    """Every stage assessment, the most recent first."""
    query = StageAssessment.scoped_to(organisation).order_by(
        StageAssessment.assessed_on.desc(), StageAssessment.id.desc())
    return list(db.session.scalars(query))


def current_stage(organisation: Organisation) -> StageAssessment | None:
    """The latest stage assessment, or None before the first."""
    query = StageAssessment.scoped_to(organisation).order_by(
        StageAssessment.assessed_on.desc(), StageAssessment.id.desc()).limit(1)
    return db.session.scalar(query)


def stage_ladder(current: str | None, target: str | None) -> list[dict]:
    """The six stages in order, each marked as reached, current and/or target, with its three-level views."""
    reached = STAGES.position(current) if current else 0
    return [
        {"choice": choice, "number": number, "reached": number <= reached,
         "current": choice.key == current, "target": choice.key == target,
         "experience": STAGE_EXPERIENCE[choice.key], "posture": STAGE_SERVICE_POSTURE[choice.key]}
        for number, choice in enumerate(STAGES, start=1)
    ]

