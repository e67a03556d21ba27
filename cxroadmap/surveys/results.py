"""What a survey's answers say: n, the score with its 95 % interval, answers today, the latest comments, the
distribution — for the current period and for every answer kept (a few queries, whatever the number of answers)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.measures.calc import SCALES
from cxroadmap.statistics import changes, intervals
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.models import HAS_COMMENT, Survey, SurveyAnswer


@dataclass(frozen=True)
class Figures:
    """One stretch of answers: how many of each score, and the score with its interval (None without answers)."""

    measure: str
    counts: dict[int, int]
    interval: intervals.Interval | None

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def too_few(self) -> bool:
        return self.n < intervals.MIN_ANSWERS

    @property
    def scale(self) -> list[int]:
        low, high = SCALES[self.measure]
        return list(range(low, high + 1))


@dataclass(frozen=True)
class Compared:
    """The last complete period against the one before it: each one's figures and the honest verdict on the
    change (statistics.changes: a rise or fall only when significant at 95 % and both rest on enough answers);
    change is None when either period has no answers."""

    before_start: date
    after_start: date
    before: Figures
    after: Figures
    change: changes.Change | None


@dataclass(frozen=True)
class Results:
    survey: Survey
    period_start: date
    period: Figures
    overall: Figures
    today: int
    comments: list[SurveyAnswer]
    latest_at: datetime | None
    compared: Compared | None = None


MIN_ANSWERS = intervals.MIN_ANSWERS


def counts_of(survey: Survey, start: date | None = None, end: date | None = None) -> dict[int, int]:
    """{score: answers} from the survey's tallies (a row per day and score, never every answer)."""
    return tally.score_counts(survey.id, start, end)


def figures(survey: Survey, counts: dict[int, int]) -> Figures:
    return Figures(survey.measure, counts, calc.interval_of(survey.measure, counts))


def survey_results(survey: Survey, on: date, comments: int = 8) -> Results:
    start, end = calc.period_bounds(survey.period, on)
    period_counts = counts_of(survey, start, end)
    overall_counts = counts_of(survey)
    today = tally.answers_on([survey.id], on)
    latest = list(db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id, HAS_COMMENT)
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()).limit(comments)))
    latest_at = db.session.scalar(select(SurveyAnswer.answered_at).where(SurveyAnswer.survey_id == survey.id)
                                  .order_by(SurveyAnswer.answered_at.desc()).limit(1))
    return Results(survey, start, figures(survey, period_counts), figures(survey, overall_counts), today or 0,
                   latest, latest_at, compared(survey, start))


def compared(survey: Survey, current_start: date) -> Compared:
    """The period before the current one against the period before that (both complete)."""
    after_start, after_end = calc.period_bounds(survey.period, current_start - timedelta(days=1))
    before_start, before_end = calc.period_bounds(survey.period, after_start - timedelta(days=1))
    before, after = counts_of(survey, before_start, before_end), counts_of(survey, after_start, after_end)
    change = None
    if sum(before.values()) and sum(after.values()):
        change = changes.change(calc.tally_of(survey.measure, before), calc.tally_of(survey.measure, after))
    return Compared(before_start, after_start, figures(survey, before), figures(survey, after), change)


@dataclass(frozen=True)
class Listening:
    """What customers say at one touchpoint: the surveys asking about it, their answers today, the latest comments."""

    surveys: list[Survey]
    today: int
    comments: list[SurveyAnswer]


def touchpoint_listening(organisation_id: int, touchpoint_id: int, on: date, comments: int = 3) -> Listening:
    """Three queries, however many answers there are."""
    surveys = list(db.session.scalars(select(Survey).where(
        Survey.organisation_id == organisation_id, Survey.touchpoint_id == touchpoint_id).order_by(Survey.title)))
    ids = [survey.id for survey in surveys]
    if not ids:
        return Listening([], 0, [])
    today = tally.answers_on(ids, on)
    latest = list(db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.survey_id.in_(ids), HAS_COMMENT)
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()).limit(comments)))
    return Listening(surveys, today, latest)
