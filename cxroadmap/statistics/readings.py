"""A KPI reading of NPS, CSAT or CES read honestly: its n, its 95 % interval, and the verdict on a change.

A reading is kept as its value and its number of answers (n); the answers themselves are not. When the caller
has the answers' distribution (a tally), the interval is exact. Otherwise it is worked out from the value and n:
- CSAT exactly: the value is the share satisfied, so satisfied = value × n / 100;
- NPS conservatively: of every split of n answers that gives that score, the one without passives has the
  widest standard error, so the interval shown is never narrower than the true one, and a change called real
  is real whatever the split was;
- CES not at all: a mean says nothing of the answers' spread ("interval needs the answers").
Every page, report and mail that shows a survey KPI's reading asks here, so they all say the same.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from cxroadmap.statistics.changes import FALL, NO_CLEAR_CHANGE, RISE, change
from cxroadmap.statistics.intervals import MIN_ANSWERS, CsatTally, Interval, NpsTally, Tally, interval

SURVEY_MEASURES = ("nps", "csat", "ces")

# How a reading's interval was worked out.
FROM_ANSWERS = "answers"  # exact, from the answers' distribution
FROM_VALUE = "value"  # exact, from the value and n (CSAT)
CONSERVATIVE = "conservative"  # from the value and n, taking no passives: never narrower than the true one (NPS)
NEEDS_ANSWERS = "needs_answers"  # CES: a mean and n say nothing of the spread
NO_COUNT = "no_count"  # the reading does not say how many answers it rests on

# The verdict on a change between two readings (besides changes.RISE, FALL and NO_CLEAR_CHANGE).
TOO_FEW = "too_few"


@dataclass(frozen=True)
class ScoreReading:
    """One reading of a survey measure: its value, n (None when not recorded), its 95 % interval (None when it
    cannot be worked out, `basis` says why) and the tally the interval came from (None without one)."""

    measure: str
    value: Decimal
    n: int | None
    interval: Interval | None
    basis: str
    tally: Tally | None = None

    @property
    def too_few(self) -> bool:
        """Fewer than MIN_ANSWERS answers: the reading says "too few answers to conclude" beside the figure."""
        return self.n is not None and self.n < MIN_ANSWERS

    @property
    def low(self) -> Decimal | None:
        return self.interval.low if self.interval else None

    @property
    def high(self) -> Decimal | None:
        return self.interval.high if self.interval else None

    def spans(self, line: Decimal) -> bool:
        """Whether the interval holds `line` (a KPI's expected-now, its target): a verdict against that line then
        rests on chance as much as on the answers. False without an interval."""
        return self.interval is not None and self.interval.spans(line)


def tally_from_value(measure: str, value: Decimal, n: int) -> Tally | None:
    """The tally a reading stands for, from its value and its number of answers (see the module's docstring):
    CSAT exact, NPS with no passives (the widest standard error for that score), CES None."""
    if n < 1:
        return None
    if measure == "csat":
        satisfied = int((Decimal(value) * n / 100).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        return CsatTally(min(max(satisfied, 0), n), n)
    if measure == "nps":
        promoters = int((n * (100 + Decimal(value)) / 200).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        promoters = min(max(promoters, 0), n)
        return NpsTally(promoters, 0, n - promoters)
    return None


def read_score(measure: str, value: Decimal, n: int | None, tally: Tally | None = None) -> ScoreReading:
    """A reading of measure ('nps', 'csat', 'ces') with its n and 95 % interval: from `tally` when the answers'
    distribution is at hand (its n then wins), otherwise from value and n."""
    if tally is not None and tally.n > 0:
        found = interval(tally)  # a CES of one answer has no spread: no interval
        return ScoreReading(measure, value, tally.n, found if found.low is not None else None, FROM_ANSWERS, tally)
    if not n:
        return ScoreReading(measure, value, n, None, NO_COUNT)
    derived = tally_from_value(measure, value, n)
    if derived is None:
        return ScoreReading(measure, value, n, None, NEEDS_ANSWERS)
    return ScoreReading(measure, value, n, interval(derived), CONSERVATIVE if measure == "nps" else FROM_VALUE,
                        derived)


def score_verdict(before: ScoreReading, after: ScoreReading) -> str | None:
    """The change from before to after: 'rise' or 'fall' only when significant at 95 % with at least
    MIN_ANSWERS answers each; 'no_clear_change' otherwise; 'too_few' when either rests on fewer answers.
    None when it cannot be tested: a reading without n, a CES without its answers, a measure not of a survey."""
    if before.measure not in SURVEY_MEASURES or before.measure != after.measure or not before.n or not after.n:
        return None
    if before.too_few or after.too_few:
        return TOO_FEW
    if before.tally is None or after.tally is None or type(before.tally) is not type(after.tally):
        return None
    found = change(before.tally, after.tally).verdict
    return found if found in (RISE, FALL) else NO_CLEAR_CHANGE
