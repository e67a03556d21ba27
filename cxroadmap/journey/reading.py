"""Reading the journey: the map with each touchpoint's latest gap, the ranking, the flags, figures for others."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from cxroadmap.coalition.models import Team
from cxroadmap.extensions import db
from cxroadmap.journey import calc
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.organisations.models import Organisation


def as_score(score: TouchpointScore) -> calc.Score:
    return calc.Score(score.scored_on, score.expectation, score.perception, score.respondents)


@dataclass(frozen=True)
class TouchpointReading:
    """A touchpoint as the map shows it: its latest score and gap, its band, and what is wrong with it."""

    touchpoint: Touchpoint
    stage: JourneyStage
    latest: TouchpointScore | None
    stale: bool  # nothing scored in the last 180 days

    @property
    def gap(self) -> Decimal | None:
        return self.latest.gap if self.latest else None

    @property
    def band(self) -> str | None:
        return calc.band(self.gap)

    @property
    def no_owner(self) -> bool:
        return self.touchpoint.team_id is None

    @property
    def unmeasured_moment(self) -> bool:
        """A moment of truth nobody has scored in the last 180 days: the flag the map raises."""
        return self.touchpoint.moment_of_truth and self.stale

    @property
    def flagged(self) -> bool:
        return self.no_owner or self.unmeasured_moment


@dataclass(frozen=True)
class StageReading:
    stage: JourneyStage
    touchpoints: list[TouchpointReading]
    gap: Decimal | None  # the stage's latest scores pooled by respondents


@dataclass(frozen=True)
class JourneyReading:
    on: date
    stages: list[StageReading]
    touchpoints: list[TouchpointReading] = field(default_factory=list)

    @property
    def ranked(self) -> list[TouchpointReading]:
        """Every touchpoint, the widest shortfall first; unscored ones last, in journey order."""
        return [item for item, _gap in calc.widest_first((r, r.gap) for r in self.touchpoints)]

    @property
    def flagged(self) -> list[TouchpointReading]:
        return [r for r in self.touchpoints if r.flagged]

    @property
    def moments_of_truth(self) -> list[TouchpointReading]:
        return [r for r in self.touchpoints if r.touchpoint.moment_of_truth]

    @property
    def overall_gap(self) -> Decimal | None:
        return calc.pooled_gap(as_score(r.latest) for r in self.touchpoints if r.latest)


def _reading(touchpoint: Touchpoint, stage: JourneyStage, on: date) -> TouchpointReading:
    latest = touchpoint.latest_score
    return TouchpointReading(touchpoint, stage, latest, calc.is_stale(latest.scored_on if latest else None, on))


def journey_reading(organisation: Organisation, on: date) -> JourneyReading:
    """The whole journey read on `on`, in a fixed number of queries however many touchpoints and scores."""
    query = (JourneyStage.scoped_to(organisation).order_by(JourneyStage.position, JourneyStage.id)
             .options(selectinload(JourneyStage.touchpoints).options(
                 selectinload(Touchpoint.team), selectinload(Touchpoint.scores))))
    stages = []
    everything = []
    for stage in db.session.scalars(query):
        readings = [_reading(touchpoint, stage, on) for touchpoint in stage.touchpoints]
        everything.extend(readings)
        stages.append(StageReading(stage, readings, calc.pooled_gap(as_score(r.latest) for r in readings
                                                                     if r.latest)))
    return JourneyReading(on, stages, everything)


def touchpoint_reading(touchpoint: Touchpoint, on: date) -> TouchpointReading:
    return _reading(touchpoint, touchpoint.stage, on)


SCORES_PER_PAGE = 20


def score_page(touchpoint: Touchpoint, page: int, per_page: int = SCORES_PER_PAGE):
    """One page of the touchpoint's scores, the latest first."""
    query = (select(TouchpointScore).where(TouchpointScore.touchpoint_id == touchpoint.id)
             .order_by(TouchpointScore.scored_on.desc(), TouchpointScore.id.desc()))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)


def team_touchpoints(team: Team, on: date) -> list[TouchpointReading]:
    """The touchpoints a team owns, in journey order, with their latest gaps."""
    query = (select(Touchpoint).join(JourneyStage)
             .where(Touchpoint.team_id == team.id, Touchpoint.organisation_id == team.organisation_id)
             .order_by(JourneyStage.position, Touchpoint.position, Touchpoint.id)
             .options(selectinload(Touchpoint.scores), selectinload(Touchpoint.stage)))
    return [_reading(touchpoint, touchpoint.stage, on) for touchpoint in db.session.scalars(query)]


def expectation_coverage(organisation: Organisation) -> tuple[int, int]:
    """(touchpoints with an expectation score, all touchpoints): do we know what the experience should be?"""
    total = db.session.scalar(select(func.count(Touchpoint.id))
                              .where(Touchpoint.organisation_id == organisation.id)) or 0
    scored = db.session.scalar(
        select(func.count(func.distinct(TouchpointScore.touchpoint_id))).join(Touchpoint)
        .where(Touchpoint.organisation_id == organisation.id)) or 0
    return scored, total


def touchpoint_options(organisation: Organisation) -> list[tuple[Touchpoint, JourneyStage]]:
    """Every touchpoint with its stage, in journey order (for choosing some)."""
    query = (select(Touchpoint, JourneyStage).join(JourneyStage, Touchpoint.stage_id == JourneyStage.id)
             .where(Touchpoint.organisation_id == organisation.id)
             .order_by(JourneyStage.position, Touchpoint.position, Touchpoint.id))
    return [(touchpoint, stage) for touchpoint, stage in db.session.execute(query)]


@dataclass(frozen=True)
class ExperienceAlerts:
    """What the overview and the dashboard raise about the journey."""

    widest: list[TouchpointReading]  # the widest shortfalls, worst first
    unmeasured_moments: list[TouchpointReading]  # moments of truth with no score in the last 180 days
    touchpoints: int
    overall_gap: Decimal | None


def experience_alerts(organisation: Organisation, on: date, limit: int = 5) -> ExperienceAlerts:
    journey = journey_reading(organisation, on)
    shortfalls = [r for r in journey.ranked if r.gap is not None and r.gap < 0]
    return ExperienceAlerts(widest=shortfalls[:limit],
                            unmeasured_moments=[r for r in journey.moments_of_truth if r.stale],
                            touchpoints=len(journey.touchpoints), overall_gap=journey.overall_gap)


def gap_chart_rows(journey: JourneyReading) -> list[tuple[str, str, Decimal | None, str | None, bool]]:
    """(stage, touchpoint, latest gap, its band, moment of truth) per touchpoint, in journey order."""
    return [(r.stage.name, r.touchpoint.name, r.gap, r.band, r.touchpoint.moment_of_truth)
            for r in journey.touchpoints]


def gap_points(touchpoint: Touchpoint) -> list[tuple[date, Decimal, Decimal, str]]:
    """(date, expectation, perception, band of the gap) per score, oldest first."""
    return [(s.scored_on, s.expectation, s.perception, calc.band(s.gap)) for s in touchpoint.scores]
