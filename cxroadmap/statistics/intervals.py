"""A survey reading with its 95 % confidence interval: NPS (adjusted Wald), CSAT (Wilson), CES (t interval).

Each period's answers are first counted into a tally (`NpsTally`, `CsatTally`, `CesTally`, or `tally(measure,
scores)` from the answers themselves); `interval(tally)` then gives the reading. Figures are handed out as
Decimals rounded half-up: NPS and CSAT in points (−100…100, 0…100 %) to two decimals, CES on its 1–7 scale to
three. The maths inside runs in floats (square roots, the t quantile); the rounding is the last step.
"""

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from statistics import NormalDist

# Below this many answers a reading is shown with "too few answers to conclude".
MIN_ANSWERS = 30
CONFIDENCE = 0.95
Z95 = NormalDist().inv_cdf(0.5 + CONFIDENCE / 2)  # 1.959964…

# The answers each measure takes and the band its score lives in.
NPS_SCALE, CSAT_SCALE, CES_SCALE = (0, 10), (1, 5), (1, 7)
PROMOTER_FROM, DETRACTOR_UP_TO, SATISFIED_FROM = 9, 6, 4
PLACES = {"nps": Decimal("0.01"), "csat": Decimal("0.01"), "ces": Decimal("0.001")}


@dataclass(frozen=True)
class NpsTally:
    """One period's NPS answers: promoters (9–10), passives (7–8) and detractors (0–6)."""

    promoters: int
    passives: int
    detractors: int

    measure = "nps"

    @property
    def n(self) -> int:
        return self.promoters + self.passives + self.detractors


@dataclass(frozen=True)
class CsatTally:
    """One period's CSAT answers: how many were satisfied (4 or 5 of 5) out of n."""

    satisfied: int
    n: int

    measure = "csat"


@dataclass(frozen=True)
class CesTally:
    """One period's CES answers: their number, mean and sample standard deviation (n − 1 in the divisor)."""

    n: int
    mean: Decimal
    sd: Decimal

    measure = "ces"


Tally = NpsTally | CsatTally | CesTally


@dataclass(frozen=True)
class Interval:
    """A reading with its 95 % interval.

    value: the score as the answers give it (NPS points, CSAT %, CES mean); low, high: the interval, kept within
    the measure's band (None only for a CES of a single answer, which has no spread to measure); centre: the
    interval's own centre (the adjusted-Wald NPS, the Wilson centre, the CES mean); standard_error: the plain
    standard error of value, from this period's own shares (what a change between periods uses); n: answers;
    too_few: fewer than MIN_ANSWERS, so the reading says "too few answers to conclude" beside the figure.
    """

    measure: str
    value: Decimal
    low: Decimal | None
    high: Decimal | None
    centre: Decimal
    standard_error: Decimal | None
    n: int

    @property
    def too_few(self) -> bool:
        return self.n < MIN_ANSWERS

    def spans(self, value: Decimal) -> bool:
        """Whether value (a KPI's target line, a threshold) lies within the interval: a verdict against it then
        rests on chance as much as on the answers. False without an interval."""
        return self.low is not None and self.high is not None and self.low <= value <= self.high


def hand_out(value: float | Decimal, measure: str) -> Decimal:
    """A figure of measure rounded half-up to the places it is handed out with (never '-0.00')."""
    exact = Decimal(repr(float(value))) if isinstance(value, float) else Decimal(value)
    rounded = exact.quantize(PLACES[measure], ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _within(value: float, band: tuple[float, float]) -> float:
    return min(max(value, band[0]), band[1])


def _needs_answers(n: int) -> None:
    if n < 1:
        raise ValueError("an interval needs at least one answer")


def nps_standard_error(promoters: float, detractors: float, n: float) -> float:
    """100·√((p + d − (p − d)²)/n) for shares p = promoters/n and d = detractors/n, in NPS points."""
    p, d = promoters / n, detractors / n
    return 100 * math.sqrt(max(p + d - (p - d) ** 2, 0.0) / n)


def nps_interval(tally: NpsTally) -> Interval:
    """NPS with the adjusted-Wald interval of Rocks (2016): ¾ added to promoters and detractors and 3 to n.

    The value and its standard error are the plain ones; the interval is the adjusted NPS ± z·(adjusted SE).
    """
    n = tally.n
    _needs_answers(n)
    if min(tally.promoters, tally.passives, tally.detractors) < 0:
        raise ValueError("counts cannot be negative")
    value = 100 * (tally.promoters - tally.detractors) / n
    adjusted_promoters, adjusted_detractors, adjusted_n = tally.promoters + 0.75, tally.detractors + 0.75, n + 3
    centre = 100 * (adjusted_promoters - adjusted_detractors) / adjusted_n
    margin = Z95 * nps_standard_error(adjusted_promoters, adjusted_detractors, adjusted_n)
    return Interval("nps", hand_out(value, "nps"), hand_out(_within(centre - margin, (-100, 100)), "nps"),
                    hand_out(_within(centre + margin, (-100, 100)), "nps"), hand_out(centre, "nps"),
                    hand_out(nps_standard_error(tally.promoters, tally.detractors, n), "nps"), n)


def csat_interval(tally: CsatTally) -> Interval:
    """CSAT (% satisfied) with the Wilson score interval; a share of 0 or 1 keeps a one-sided, non-empty interval."""
    n, k = tally.n, tally.satisfied
    _needs_answers(n)
    if not 0 <= k <= n:
        raise ValueError("satisfied answers must be between 0 and n")
    p = k / n
    z2 = Z95 * Z95
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    margin = Z95 / (1 + z2 / n) * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    low, high = (0.0 if k == 0 else centre - margin), (1.0 if k == n else centre + margin)
    return Interval("csat", hand_out(100 * p, "csat"), hand_out(100 * low, "csat"), hand_out(100 * high, "csat"),
                    hand_out(100 * centre, "csat"), hand_out(100 * math.sqrt(p * (1 - p) / n), "csat"), n)


def t_quantile(probability: float, degrees_of_freedom: float) -> float:
    """The quantile of Student's t distribution (scipy's, imported when first needed: it is slow to load)."""
    from scipy.special import stdtrit

    return float(stdtrit(degrees_of_freedom, probability))


def ces_interval(tally: CesTally) -> Interval:
    """CES mean ± t(0.975, n − 1)·s/√n, kept within 1–7; identical answers (s = 0) give an interval of no width."""
    n = tally.n
    _needs_answers(n)
    mean = float(tally.mean)
    if n == 1:
        return Interval("ces", hand_out(tally.mean, "ces"), None, None, hand_out(tally.mean, "ces"), None, 1)
    standard_error = float(tally.sd) / math.sqrt(n)
    margin = t_quantile(0.5 + CONFIDENCE / 2, n - 1) * standard_error
    return Interval("ces", hand_out(tally.mean, "ces"), hand_out(_within(mean - margin, CES_SCALE), "ces"),
                    hand_out(_within(mean + margin, CES_SCALE), "ces"), hand_out(tally.mean, "ces"),
                    hand_out(standard_error, "ces"), n)


def interval(tally: Tally) -> Interval:
    """The reading of any tally with its 95 % interval."""
    if isinstance(tally, NpsTally):
        return nps_interval(tally)
    if isinstance(tally, CsatTally):
        return csat_interval(tally)
    return ces_interval(tally)


def _checked(scores: Sequence[int], scale: tuple[int, int]) -> Sequence[int]:
    low, high = scale
    for score in scores:
        if isinstance(score, bool) or not isinstance(score, int) or not low <= score <= high:
            raise ValueError(f"{score!r} is not a whole number from {low} to {high}")
    return scores


def nps_tally(scores: Iterable[int]) -> NpsTally:
    scores = _checked(list(scores), NPS_SCALE)
    promoters = sum(1 for s in scores if s >= PROMOTER_FROM)
    detractors = sum(1 for s in scores if s <= DETRACTOR_UP_TO)
    return NpsTally(promoters, len(scores) - promoters - detractors, detractors)


def csat_tally(scores: Iterable[int]) -> CsatTally:
    scores = _checked(list(scores), CSAT_SCALE)
    return CsatTally(sum(1 for s in scores if s >= SATISFIED_FROM), len(scores))


def ces_tally(scores: Iterable[int]) -> CesTally:
    """Mean and sample standard deviation worked out exactly in Decimal (the square root to 28 digits)."""
    scores = _checked(list(scores), CES_SCALE)
    n = len(scores)
    if n == 0:
        return CesTally(0, Decimal(0), Decimal(0))
    mean = Decimal(sum(scores)) / n
    if n == 1:
        return CesTally(1, mean, Decimal(0))
    squares = sum((Decimal(s) - mean) ** 2 for s in scores)
    return CesTally(n, mean, (squares / (n - 1)).sqrt())


TALLIES = {"nps": nps_tally, "csat": csat_tally, "ces": ces_tally}


def tally(measure: str, scores: Iterable[int]) -> Tally:
    """Count the answers of measure ('nps', 'csat' or 'ces'); ValueError for an answer off the measure's scale."""
    return TALLIES[measure](scores)
