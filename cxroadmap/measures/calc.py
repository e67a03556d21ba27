"""The maths of KPIs and survey scores: achievement, the line from baseline to target, status, trend, NPS/CSAT/CES.

Pure functions of Decimals and dates. Figures are rounded once, half-up, when they are handed out: achievement
and NPS/CSAT to one decimal, CES to two; comparisons use the unrounded values.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from cxroadmap.statistics import intervals

HUNDRED = Decimal(100)
ONE_PLACE = Decimal("0.1")
TWO_PLACES = Decimal("0.01")

# The answers each survey measure takes, lowest and highest (whole numbers).
SCALES = {"nps": (0, 10), "csat": (1, 5), "ces": (1, 7)}
TREND_READINGS = 4


@dataclass(frozen=True)
class Line:
    """A KPI's plan: from baseline (value, date) to target (value, date), in its direction ('up' or 'down')."""

    baseline: Decimal
    baseline_on: date
    target: Decimal
    target_on: date
    direction: str = "up"

    @property
    def sign(self) -> int:
        return 1 if self.direction == "up" else -1


@dataclass(frozen=True)
class SurveyScore:
    """A score computed from individual answers, with how many answers it rests on."""

    value: Decimal
    respondents: int


def _round(value: Decimal, quantum: Decimal) -> Decimal:
    return value.quantize(quantum, rounding=ROUND_HALF_UP)


def elapsed_share(start: date, end: date, on: date) -> Decimal:
    """How much of the period start→end has passed on `on`: 0 before it, 1 from its end on (and when it is empty)."""
    if on <= start:
        return Decimal(0)
    if on >= end:
        return Decimal(1)
    return Decimal((on - start).days) / Decimal((end - start).days)


def expected_now(line: Line, on: date) -> Decimal:
    """Where the straight line from baseline to target says the KPI should be on `on` (unrounded)."""
    return line.baseline + (line.target - line.baseline) * elapsed_share(line.baseline_on, line.target_on, on)


def achievement(line: Line, latest: Decimal | None) -> Decimal | None:
    """(latest − baseline) / (target − baseline) × 100, one decimal; None without a reading or a movement asked."""
    if latest is None or line.target == line.baseline:
        return None
    return _round((latest - line.baseline) / (line.target - line.baseline) * HUNDRED, ONE_PLACE)


def status(line: Line, latest: Decimal | None, on: date) -> str:
    """on_track, at_risk, off_track or no_data: the latest reading against where the line says it should be.

    On track: at or beyond expected-now in the KPI's direction. At risk: short of it, but it has covered at least
    half of the movement expected by now. Off track: otherwise.
    """
    if latest is None:
        return "no_data"
    expected = expected_now(line, on)
    if line.sign * (latest - expected) >= 0:
        return "on_track"
    if line.sign * (latest - line.baseline) * 2 >= line.sign * (expected - line.baseline):
        return "at_risk"
    return "off_track"


def trend(values: Sequence[Decimal], direction: str, last: int = TREND_READINGS) -> str | None:
    """improving, steady or worsening: the sign of the least-squares slope through the last readings.

    `values` are in date order; readings are taken as evenly spaced. None with fewer than two readings.
    """
    recent = list(values)[-last:]
    if len(recent) < 2:
        return None
    count = Decimal(len(recent))
    mean_x = (count - 1) / 2
    mean_y = sum(recent, Decimal(0)) / count
    slope_sign = sum((Decimal(i) - mean_x) * (y - mean_y) for i, y in enumerate(recent))
    signed = slope_sign if direction == "up" else -slope_sign
    if signed > 0:
        return "improving"
    if signed < 0:
        return "worsening"
    return "steady"


def nps(scores: Sequence[int]) -> SurveyScore:
    """Net Promoter Score: % promoters (9–10) − % detractors (0–6) of all answers, passives counted; one decimal."""
    count = len(scores)
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return SurveyScore(_round(Decimal(promoters - detractors) * HUNDRED / Decimal(count), ONE_PLACE), count)


def csat(scores: Sequence[int]) -> SurveyScore:
    """Customer satisfaction: the share of 4 and 5 answers on the 1–5 scale, as a percentage to one decimal."""
    count = len(scores)
    satisfied = sum(1 for s in scores if s >= 4)
    return SurveyScore(_round(Decimal(satisfied) * HUNDRED / Decimal(count), ONE_PLACE), count)


def ces(scores: Sequence[int]) -> SurveyScore:
    """Customer effort: the mean of the 1–7 answers, two decimals."""
    count = len(scores)
    return SurveyScore(_round(Decimal(sum(scores)) / Decimal(count), TWO_PLACES), count)


SURVEY_FORMULAS = {"nps": nps, "csat": csat, "ces": ces}


def survey_score(measure: str, scores: Sequence[int]) -> SurveyScore:
    """The score of measure (nps, csat or ces) from at least one answer on its scale."""
    if not scores:
        raise ValueError("a survey score needs at least one answer")
    return SURVEY_FORMULAS[measure](scores)


def survey_interval(measure: str, scores: Sequence[int]) -> intervals.Interval:
    """The reading of measure (nps, csat or ces) from its answers with n and its 95 % interval (see
    `statistics.intervals`); ValueError without answers or with one off the scale."""
    return intervals.interval(intervals.tally(measure, scores))
