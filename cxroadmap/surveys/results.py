"""What a survey's answers say: n, the score with its 95 % interval, answers today, the latest comments, the
distribution — for the current period and for every answer kept (a few queries, whatever the number of answers)."""

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.measures.calc import SCALES
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.measures.services import reading_tallies
from cxroadmap.statistics import changes, intervals
from cxroadmap.surveys import calc, tally
from cxroadmap.surveys.models import HAS_COMMENT, Survey, SurveyAnswer, SurveyTally


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
    latest = newest_comments([survey.id], comments)
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
    windows = _windows(readings, periods)
    if not windows:
        return {}
    daily = _daily_counts(set(periods), min(w[0] for found in windows.values() for w in found),
                          max(w[1] for found in windows.values() for w in found))
    found_tallies = {}
    for reading in readings:
        for start, end in windows.get(reading.id, ()):
            counts = _counted_between(daily[reading.kpi_id], start, end)
            if sum(counts.values()) == reading.respondents:
                found_tallies[reading.id] = calc.tally_of(measures[reading.kpi_id], counts)
                break
    return found_tallies


def _counted_between(days: dict[date, Counter], start: date, end: date) -> Counter:
    """The answers of the days from start up to end, added up: a period's days looked up one by one (a month at
    most), not every day of the year passed for every reading."""
    counts: Counter = Counter()
    day = start
    while day < end:
        found = days.get(day)
        if found:
            counts.update(found)
        day += timedelta(days=1)
    return counts


def _windows(readings: list[KpiReading], periods: dict[int, set[str]]) -> dict[int, list[tuple[date, date]]]:
    """Each reading's candidate periods: those of its KPI's surveys that start on the reading's day."""
    found = {}
    for reading in readings:
        bounds = [calc.period_bounds(period, reading.taken_on) for period in sorted(periods.get(reading.kpi_id, ()))]
        starting = [window for window in bounds if window[0] == reading.taken_on]
        if starting:
            found[reading.id] = starting
    return found


def _daily_counts(kpi_ids: set[int], start: date, end: date) -> dict[int, dict[date, Counter]]:
    """The answers of the surveys feeding each KPI, counted per day and score, from start up to end (from the
    surveys' daily tallies, never from the answers themselves)."""
    daily: dict[int, dict[date, Counter]] = defaultdict(lambda: defaultdict(Counter))
    query = (select(Survey.kpi_id, SurveyTally.answered_on, SurveyTally.score, func.sum(SurveyTally.answers))
             .join(Survey, Survey.id == SurveyTally.survey_id)
             .where(Survey.kpi_id.in_(kpi_ids), SurveyTally.answered_on >= start, SurveyTally.answered_on < end)
             .group_by(Survey.kpi_id, SurveyTally.answered_on, SurveyTally.score))
    for kpi_id, day, score, count in db.session.execute(query):
        daily[kpi_id][day][score] += count
    return daily
