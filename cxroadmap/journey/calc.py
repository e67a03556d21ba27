"""The gap maths of the journey: perception − expectation, the latest score, pooled gaps, bands and staleness.

Pure functions of Decimals and dates. Scores are on the 1–7 scale; a gap therefore runs from −6 to +6, and a
negative gap means customers found the touchpoint worse than they expected.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

SCALE_LOW = Decimal(1)
SCALE_HIGH = Decimal(7)
PLACES = Decimal("0.01")
STALE_AFTER_DAYS = 180

# The diverging scale the map colours cards by, from far short of expectations to well beyond them.
# A gap within half a point either way counts as met: survey means move that much from noise alone.
BANDS = ("far_below", "below", "met", "above", "far_above")
WIDE = Decimal("1.5")
MET = Decimal("0.5")


@dataclass(frozen=True)
class Score:
    """One dated score as the maths sees it."""

    on: date
    expectation: Decimal
    perception: Decimal
    respondents: int = 1

    @property
    def gap(self) -> Decimal:
        return gap(self.expectation, self.perception)


def on_scale(value: Decimal) -> bool:
    """Whether value is a score of the 1–7 scale, with at most two decimal places."""
    return (isinstance(value, Decimal) and value.is_finite() and SCALE_LOW <= value <= SCALE_HIGH
            and value == value.quantize(PLACES))


def gap(expectation: Decimal, perception: Decimal) -> Decimal:
    """Perception − expectation: below zero the touchpoint falls short of what customers expect."""
    return perception - expectation


def latest(scores: Sequence[Score]) -> Score | None:
    """The score that counts: the latest date; of several on one day, the one recorded last."""
    best = None
    for score in scores:
        if best is None or score.on >= best.on:
            best = score
    return best


def pooled_gap(scores: Iterable[Score]) -> Decimal | None:
    """The gap over several touchpoints' scores, each weighted by its respondents, to two places.

    This is how a stage (or the whole journey) is read, SERVQUAL-style: a score from 300 customers counts
    thirty times one from 10.
    """
    weighted = Decimal(0)
    people = 0
    for score in scores:
        weighted += score.gap * score.respondents
        people += score.respondents
    if people == 0:
        return None
    return (weighted / people).quantize(PLACES, rounding=ROUND_HALF_UP)


def band(value: Decimal | None) -> str | None:
    """Which band of the diverging scale a gap falls in (None without a gap)."""
    if value is None:
        return None
    if value <= -WIDE:
        return "far_below"
    if value <= -MET:
        return "below"
    if value < MET:
        return "met"
    if value < WIDE:
        return "above"
    return "far_above"


def is_stale(last_scored_on: date | None, on: date, max_age_days: int = STALE_AFTER_DAYS) -> bool:
    """True when nothing was scored in the max_age_days before `on` (or never)."""
    return last_scored_on is None or (on - last_scored_on).days > max_age_days


def share(part: int, whole: int) -> Decimal | None:
    """part of whole as a share between 0 and 1, to four places; None when there is no whole."""
    if whole == 0:
        return None
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def change(scores: Sequence[Score]) -> Decimal | None:
    """How the gap moved from the score before the latest to the latest (positive: it is closing)."""
    ordered = sorted(scores, key=lambda s: s.on)
    if len(ordered) < 2:
        return None
    return ordered[-1].gap - ordered[-2].gap


def widest_first(gaps: Iterable[tuple[object, Decimal | None]]) -> list[tuple[object, Decimal | None]]:
    """Items with their gaps, most negative first; items without a gap come last, in the order given."""
    items = list(gaps)
    scored = sorted((item for item in items if item[1] is not None), key=lambda item: item[1])
    return scored + [item for item in items if item[1] is None]
