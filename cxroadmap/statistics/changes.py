"""Whether a score rose or fell between two periods, at 95 %: NPS by its standard errors, CSAT by two
proportions, CES by Welch's t; otherwise "no clear change".

Both periods are tallies (`intervals.tally`); `change(before, after)` compares two of the same measure. The
difference is after − before, in the measure's units (NPS and CSAT points, CES on its 1–7 scale); "rise" and
"fall" say which way the number moved, not whether that is good (for all three measures higher is better).
"""

import math
from dataclasses import dataclass
from decimal import Decimal
from statistics import NormalDist

from cxroadmap.statistics.intervals import (
    CONFIDENCE,
    MIN_ANSWERS,
    CesTally,
    CsatTally,
    NpsTally,
    Tally,
    hand_out,
    nps_standard_error,
)

RISE, FALL, NO_CLEAR_CHANGE = "rise", "fall", "no_clear_change"
_STANDARD_NORMAL = NormalDist()


@dataclass(frozen=True)
class Change:
    """A comparison of two periods.

    difference: after − before; standard_error: the one the test divides by; statistic: z (NPS, CSAT) or Welch's
    t (CES), None when it is infinite or cannot be worked out; p_value: two-sided, four decimals (None when no
    test could be made); degrees_of_freedom: Welch–Satterthwaite's, for CES; too_few: either period rests on
    fewer than MIN_ANSWERS answers; verdict: 'rise' or 'fall' only when the test is significant at 95 % and
    neither period has too few answers, 'no_clear_change' otherwise (a reading of fewer than 30 answers says
    "too few answers to conclude", and a change resting on one concludes nothing either).
    """

    measure: str
    difference: Decimal
    standard_error: Decimal | None
    statistic: Decimal | None
    p_value: Decimal | None
    verdict: str
    before_n: int
    after_n: int
    degrees_of_freedom: Decimal | None = None

    @property
    def too_few(self) -> bool:
        return min(self.before_n, self.after_n) < MIN_ANSWERS


def _verdict(difference: float, p_value: float | None, before_n: int, after_n: int) -> str:
    if p_value is None or p_value >= 1 - CONFIDENCE or difference == 0 or min(before_n, after_n) < MIN_ANSWERS:
        return NO_CLEAR_CHANGE
    return RISE if difference > 0 else FALL


def _p_value(p: float | None) -> Decimal | None:
    return None if p is None else Decimal(repr(p)).quantize(Decimal("0.0001"))


def _statistic(value: float | None) -> Decimal | None:
    return None if value is None or math.isinf(value) else Decimal(repr(value)).quantize(Decimal("0.001"))


def _z_test(measure: str, difference: float, standard_error: float, before_n: int, after_n: int) -> Change:
    """A two-sided z test; a difference with no standard error at all is certain (z infinite, p = 0)."""
    if standard_error > 0:
        z = difference / standard_error
        p = 2 * _STANDARD_NORMAL.cdf(-abs(z))
    else:
        z, p = (math.inf, 0.0) if difference else (0.0, 1.0)
    return Change(measure, hand_out(difference, measure), hand_out(standard_error, measure), _statistic(z),
                  _p_value(p), _verdict(difference, p, before_n, after_n), before_n, after_n)


def _needs_answers(before: Tally, after: Tally) -> None:
    if before.n < 1 or after.n < 1:
        raise ValueError("a change needs at least one answer in each period")


def nps_change(before: NpsTally, after: NpsTally) -> Change:
    """NPS after − before, real when |difference| > 1.96·√(SE₁² + SE₂²), each SE from its period's own shares
    (two independent samples). Both SEs are 0 only when each period's answers all fall in one group: then any
    difference is certain.
    """
    _needs_answers(before, after)
    difference = 100 * ((after.promoters - after.detractors) / after.n
                        - (before.promoters - before.detractors) / before.n)
    standard_error = math.hypot(nps_standard_error(before.promoters, before.detractors, before.n),
                                nps_standard_error(after.promoters, after.detractors, after.n))
    return _z_test("nps", difference, standard_error, before.n, after.n)


def csat_change(before: CsatTally, after: CsatTally) -> Change:
    """CSAT after − before in points, by the two-proportion z test with the pooled share."""
    _needs_answers(before, after)
    pooled = (before.satisfied + after.satisfied) / (before.n + after.n)
    difference = 100 * (after.satisfied / after.n - before.satisfied / before.n)
    standard_error = 100 * math.sqrt(pooled * (1 - pooled) * (1 / before.n + 1 / after.n))
    return _z_test("csat", difference, standard_error, before.n, after.n)


def ces_change(before: CesTally, after: CesTally) -> Change:
    """CES after − before by Welch's t test (unequal variances, Welch–Satterthwaite degrees of freedom).

    A period of one answer has no spread to test against: no clear change. When neither period has any spread
    (every answer the same), a difference is certain and its sign decides.
    """
    _needs_answers(before, after)
    difference = float(after.mean) - float(before.mean)
    if min(before.n, after.n) < 2:
        return Change("ces", hand_out(difference, "ces"), None, None, None, NO_CLEAR_CHANGE, before.n, after.n)
    share_before, share_after = float(before.sd) ** 2 / before.n, float(after.sd) ** 2 / after.n
    standard_error = math.sqrt(share_before + share_after)
    if standard_error == 0:
        p = 0.0 if difference else 1.0
        return Change("ces", hand_out(difference, "ces"), hand_out(0, "ces"),
                      _statistic(math.inf if difference else 0.0), _p_value(p),
                      _verdict(difference, p, before.n, after.n), before.n, after.n)
    from scipy.special import stdtr

    t = difference / standard_error
    degrees = (share_before + share_after) ** 2 / (share_before ** 2 / (before.n - 1)
                                                    + share_after ** 2 / (after.n - 1))
    p = float(2 * stdtr(degrees, -abs(t)))
    return Change("ces", hand_out(difference, "ces"), hand_out(standard_error, "ces"), _statistic(t),
                  _p_value(p), _verdict(difference, p, before.n, after.n), before.n, after.n,
                  Decimal(repr(degrees)).quantize(Decimal("0.01")))


def change(before: Tally, after: Tally) -> Change:
    """Compare two periods' tallies of the same measure."""
    if type(before) is not type(after):
        raise ValueError("both periods must be tallies of the same measure")
    if isinstance(before, NpsTally):
        return nps_change(before, after)
    if isinstance(before, CsatTally):
        return csat_change(before, after)
    return ces_change(before, after)
