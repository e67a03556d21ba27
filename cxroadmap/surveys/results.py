"""What a survey's answers say: n, the score with its 95 % interval, answers today, the latest comments, the
distribution — for the current period and for every answer kept (a few queries, whatever the number of answers)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select

from cxroadmap.extensions import db
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.measures.services import reading_tallies
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
    before_start, after_start = _two_periods_before(survey, start)
    # The current period in three stretches, the day `on` the middle one (the first is empty on its first day).
    (before, after, *current), overall_counts = tally.stretch_counts(
        survey.id, [before_start, after_start, start, on, on + timedelta(days=1), end])
    period_counts = dict(sum((Counter(counts) for counts in current), Counter()))
    latest = newest_comments([survey.id], comments)
    latest_at = db.session.scalar(select(SurveyAnswer.answered_at).where(SurveyAnswer.survey_id == survey.id)
                                  .order_by(SurveyAnswer.answered_at.desc()).limit(1))
    return Results(survey, start, figures(survey, period_counts), figures(survey, overall_counts),
                   sum(current[1].values()), latest, latest_at,
                   _compared(survey, before_start, after_start, before, after))


def compared(survey: Survey, current_start: date) -> Compared:
    """The period before the current one against the period before that (both complete)."""
    before_start, after_start = _two_periods_before(survey, current_start)
    (before, after), _overall = tally.stretch_counts(survey.id, [before_start, after_start, current_start])
    return _compared(survey, before_start, after_start, before, after)


def _two_periods_before(survey: Survey, current_start: date) -> tuple[date, date]:
    """The first days of the period before the one starting on current_start and of the period before that."""
    after_start = calc.period_bounds(survey.period, current_start - timedelta(days=1))[0]
    return calc.period_bounds(survey.period, after_start - timedelta(days=1))[0], after_start


def _compared(survey: Survey, before_start: date, after_start: date, before: dict[int, int],
              after: dict[int, int]) -> Compared:
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
    return Listening(surveys, tally.answers_on(ids, on), newest_comments(ids, comments))


def newest_comments(survey_ids: list[int], limit: int) -> list[SurveyAnswer]:
    """The newest answers with a comment of these surveys, newest first: each survey's read from the index of the
    answers that have one (one query a survey; a single query over several surveys would sort all their comments)."""
    found = [answer for survey_id in survey_ids for answer in db.session.scalars(
        select(SurveyAnswer).where(SurveyAnswer.survey_id == survey_id, HAS_COMMENT)
        .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()).limit(limit))]
    found.sort(key=lambda answer: (answer.answered_at, answer.id), reverse=True)
    return found[:limit]


# -- the answers behind a KPI's readings ------------------------------------------------------------------

@reading_tallies
def answered_tallies(kpis: list[Kpi], readings: list[KpiReading]) -> dict[int, intervals.Tally]:
    """The answers behind the readings this area wrote (`settling.refresh_reading`): a reading dated the first day
    of a feeding survey's period whose n is the number of answers stored for that period, from every survey feeding
    the KPI. Its interval and the test of its change then come from the answers themselves. Two queries."""
    measures = {kpi.id: kpi.measure for kpi in kpis}
    periods: dict[int, set[str]] = defaultdict(set)
    for kpi_id, period in db.session.execute(select(Survey.kpi_id, Survey.period).where(
            Survey.kpi_id.in_({reading.kpi_id for reading in readings}))):
        periods[kpi_id].add(period)
    windows = [(reading, start, end) for reading in readings for start, end in _windows(reading, periods)]
    if not windows:
        return {}
    edges = sorted({day for _reading, start, end in windows for day in (start, end)})
    place = {day: index for index, day in enumerate(edges)}
    stretches = tally.kpi_stretch_counts(set(periods), edges)
    found_tallies = {}
    for reading, start, end in windows:
        counts: Counter = Counter()
        for stretch in stretches[reading.kpi_id][place[start]:place[end]]:
            counts.update(stretch)
        if reading.id not in found_tallies and sum(counts.values()) == reading.respondents:
            found_tallies[reading.id] = calc.tally_of(measures[reading.kpi_id], counts)
    return found_tallies


def _windows(reading: KpiReading, periods: dict[int, set[str]]) -> list[tuple[date, date]]:
    """The reading's candidate periods: those of its KPI's surveys that start on the reading's day."""
    bounds = [calc.period_bounds(period, reading.taken_on) for period in sorted(periods.get(reading.kpi_id, ()))]
    return [window for window in bounds if window[0] == reading.taken_on]
