"""The maths of survey answers counted by the database: a period's bounds, its score and interval from the
number of answers at each point of the scale, and the mean of touchpoint scores. Pure functions."""

from collections.abc import Mapping
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from cxroadmap.measures import calc as measures_calc
from cxroadmap.statistics import intervals

TWO_PLACES = Decimal("0.01")


def period_bounds(period: str, on: date) -> tuple[date, date]:
    """The first day of the day, week (from Monday) or month that holds `on`, and the first day after it."""
    if period == "day":
        return on, on + timedelta(days=1)
    if period == "week":
        start = on - timedelta(days=on.weekday())
        return start, start + timedelta(days=7)
    start = on.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following


def _expanded(counts: Mapping[int, int]) -> list[int]:
    return [score for score, count in sorted(counts.items()) for _ in range(count)]


def score_of(measure: str, counts: Mapping[int, int]) -> measures_calc.SurveyScore:
    """The KPI reading (rounded as the KPIs round it) of answers counted per score; at least one answer."""
    n = sum(counts.values())
    if n == 0:
        raise ValueError("a survey score needs at least one answer")
    if measure == "nps":
        promoters = sum(c for s, c in counts.items() if s >= intervals.PROMOTER_FROM)
        detractors = sum(c for s, c in counts.items() if s <= intervals.DETRACTOR_UP_TO)
        value = Decimal(promoters - detractors) * 100 / Decimal(n)
        return measures_calc.SurveyScore(value.quantize(measures_calc.ONE_PLACE, ROUND_HALF_UP), n)
    if measure == "csat":
        satisfied = sum(c for s, c in counts.items() if s >= intervals.SATISFIED_FROM)
        value = Decimal(satisfied) * 100 / Decimal(n)
        return measures_calc.SurveyScore(value.quantize(measures_calc.ONE_PLACE, ROUND_HALF_UP), n)
    value = Decimal(sum(s * c for s, c in counts.items())) / Decimal(n)
    return measures_calc.SurveyScore(value.quantize(TWO_PLACES, ROUND_HALF_UP), n)


def tally_of(measure: str, counts: Mapping[int, int]) -> intervals.Tally:
    """The statistics tally of answers counted per score."""
    if measure == "nps":
        promoters = sum(c for s, c in counts.items() if s >= intervals.PROMOTER_FROM)
        detractors = sum(c for s, c in counts.items() if s <= intervals.DETRACTOR_UP_TO)
        return intervals.NpsTally(promoters, sum(counts.values()) - promoters - detractors, detractors)
    if measure == "csat":
        return intervals.CsatTally(sum(c for s, c in counts.items() if s >= intervals.SATISFIED_FROM),
                                   sum(counts.values()))
    n = sum(counts.values())
    if n < 2:
        return intervals.tally("ces", _expanded(counts))
    mean = Decimal(sum(s * c for s, c in counts.items())) / n
    squares = sum(((Decimal(s) - mean) ** 2) * c for s, c in counts.items())
    return intervals.CesTally(n, mean, (squares / (n - 1)).sqrt())


def interval_of(measure: str, counts: Mapping[int, int]) -> intervals.Interval | None:
    """The score with its 95 % interval, None without answers."""
    if sum(counts.values()) == 0:
        return None
    return intervals.interval(tally_of(measure, counts))


def mean_score(total: int, n: int) -> Decimal:
    """A mean on the 1–7 scale to two places, as touchpoint scores keep it."""
    return (Decimal(total) / Decimal(n)).quantize(TWO_PLACES, ROUND_HALF_UP)
