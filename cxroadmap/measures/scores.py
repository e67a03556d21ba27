"""A survey KPI's readings read honestly, and the words for them in the reader's language.

Each reading of an NPS, CSAT or CES KPI gets its n and 95 % interval, and each change from the reading before a
verdict (rise, fall, no clear change, too few answers), by `statistics.readings`. The KPI page, the board, the
dashboard's KPIs, the touchpoint page and the digests all word them here, so they say the same thing.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from cxroadmap.i18n import _, current_language
from cxroadmap.measures.formatting import format_value
from cxroadmap.statistics.changes import FALL, NO_CLEAR_CHANGE, RISE
from cxroadmap.statistics.intervals import MIN_ANSWERS, Tally
from cxroadmap.statistics.readings import (
    CONSERVATIVE,
    FROM_ANSWERS,
    FROM_VALUE,
    NEEDS_ANSWERS,
    SURVEY_MEASURES,
    TOO_FEW,
    ScoreReading,
    read_score,
    score_verdict,
)

# The places a survey reading is shown with (measures.formatting.PATTERNS).
SHOWN_PLACES = {"nps": Decimal("0.1"), "csat": Decimal("0.1"), "ces": Decimal("0.01")}

# A KPI's trend when its last change was tested (besides calc.trend's improving, steady and worsening).
NO_CLEAR_CHANGE_TREND, TOO_FEW_TREND, UNTESTED_TREND = "no_clear_change", "too_few_answers", "untested"


@dataclass(frozen=True)
class HonestReading:
    """A reading of a survey KPI: its score with n and interval, and the verdict on the change from the reading
    before it (None for the first reading, or when it cannot be tested)."""

    score: ScoreReading
    verdict: str | None


def honest_readings(measure: str, readings: Sequence, tallies: Mapping[int, Tally] | None = None
                    ) -> list[HonestReading]:
    """Each reading (in date order) of a survey measure read honestly; `tallies` maps a reading's id to its answers'
    distribution when it is at hand (exact intervals), else each is worked out from value and n. Empty for a
    measure that is not a survey's."""
    if measure not in SURVEY_MEASURES:
        return []
    tallies = tallies or {}
    scores = [read_score(measure, r.value, r.respondents, tallies.get(r.id)) for r in readings]
    return [HonestReading(score, score_verdict(scores[i - 1], score) if i else None)
            for i, score in enumerate(scores)]


def honest_trend(direction: str, latest: HonestReading | None, plain: str | None) -> str | None:
    """The trend a survey KPI shows: from the verdict on its last change when its readings say how many answers
    they rest on (improving or worsening only when significant at 95 %), else `plain` (calc.trend's)."""
    if latest is None or latest.score.n is None or plain is None:
        return plain
    if latest.verdict in (RISE, FALL):
        return "improving" if (latest.verdict == RISE) == (direction == "up") else "worsening"
    if latest.verdict == TOO_FEW or latest.score.too_few:
        return TOO_FEW_TREND
    if latest.verdict == NO_CLEAR_CHANGE:
        return NO_CLEAR_CHANGE_TREND
    return UNTESTED_TREND


# -- the words -----------------------------------------------------------------------------------------------

def too_few_text() -> str:
    return _("too few answers to conclude")


def verdict_text(verdict: str | None) -> str:
    """'rise', 'fall', 'no clear change', 'too few answers to conclude'; '' when it was not tested."""
    return {RISE: _("rise"), FALL: _("fall"), NO_CLEAR_CHANGE: _("no clear change"),
            TOO_FEW: too_few_text()}.get(verdict, "")


def outward(score: ScoreReading) -> tuple[Decimal, Decimal]:
    """The interval rounded outwards to the places its figure is shown with (low down, high up): what is shown is
    never narrower than what was worked out."""
    places = SHOWN_PLACES[score.measure]
    return score.low.quantize(places, ROUND_FLOOR), score.high.quantize(places, ROUND_CEILING)


def interval_text(score: ScoreReading, unit: str = "", language: str | None = None) -> str:
    """'29.3 to 46.1' (in the KPI's unit, rounded outwards); 'interval needs the answers' for a CES kept as a
    mean; '' without n."""
    language = language or current_language()
    if score.interval is None:
        return _("interval needs the answers") if score.basis == NEEDS_ANSWERS else ""
    low, high = outward(score)
    return _("%(low)s to %(high)s", low=format_value(low, score.measure, unit, language),
             high=format_value(high, score.measure, unit, language))


def score_text(score: ScoreReading, unit: str = "", language: str | None = None) -> str:
    """The reading as one phrase: '38.0 (29.3 to 46.1), n = 112', with '— too few answers to conclude' under 30
    answers; a reading without n is its value alone."""
    language = language or current_language()
    value = format_value(score.value, score.measure, unit, language)
    if score.n is None or score.n == 0:
        return value
    if score.interval is not None:
        words = _("%(value)s (%(interval)s), n = %(n)s", value=value, interval=interval_text(score, unit, language),
                  n=score.n)
    elif score.basis == NEEDS_ANSWERS:  # a CES kept as its mean
        words = _("%(value)s, n = %(n)s (interval needs the answers)", value=value, n=score.n)
    else:  # a CES of one answer
        words = _("%(value)s, n = %(n)s", value=value, n=score.n)
    return _("%(reading)s — too few answers to conclude", reading=words) if score.too_few else words


def note_text(score: ScoreReading, unit: str = "", language: str | None = None) -> str:
    """What stands under a survey reading's figure: 'n = 91 · 95 % interval -3.9 to 35.8', 'n = 140 · interval needs
    the answers', with '· too few answers to conclude' under 30 answers; '' without n."""
    if not score.n:
        return ""
    language = language or current_language()
    words = [_("n = %(n)s", n=score.n)]
    if score.interval is not None:
        words.append(_("95 %% interval %(interval)s", interval=interval_text(score, unit, language)))
    elif score.basis == NEEDS_ANSWERS:
        words.append(interval_text(score, unit, language))
    if score.too_few:
        words.append(too_few_text())
    return " · ".join(words)


def basis_text(score: ScoreReading) -> str:
    """How one reading's interval was worked out, in a few words (a tooltip beside it)."""
    return {FROM_ANSWERS: _("Exact: worked out from the answers."),
            CONSERVATIVE: _("From the score and n alone: never narrower than the true interval."),
            FROM_VALUE: _("Exact: from the share satisfied and n."),
            NEEDS_ANSWERS: _("A CES interval needs the spread of the answers, which a reading does not keep.")
            }.get(score.basis, "")


def basis_notes(scores: Sequence[ScoreReading]) -> list[str]:
    """The footnotes the intervals shown need: how each kind was worked out (once each, in a fixed order)."""
    bases = {score.basis for score in scores}
    notes = []
    if FROM_ANSWERS in bases:
        notes.append(_("Intervals worked out from the answers themselves are exact."))
    if CONSERVATIVE in bases:
        notes.append(_("NPS intervals are worked out from the score and n alone, counting no passives: the widest "
                       "any split of the answers could give, so never narrower than the true one (adjusted Wald)."))
    if FROM_VALUE in bases:
        notes.append(_("CSAT intervals are exact from the share satisfied and n (Wilson)."))
    if NEEDS_ANSWERS in bases:
        notes.append(_("A CES interval needs the spread of the answers, which a reading does not keep."))
    if any(score.too_few for score in scores):
        notes.append(_("Fewer than %(count)s answers: too few to conclude.", count=MIN_ANSWERS))
    return notes


def caveat_text(score: ScoreReading, expected: Decimal, unit: str = "", language: str | None = None) -> str:
    """When the latest reading's interval holds the line expected today, the status rests on chance: say so.
    '' otherwise."""
    if not score.spans(expected):
        return ""
    language = language or current_language()
    return _("but its 95 %% interval (%(interval)s) spans today's line of %(expected)s: the status may be chance",
             interval=interval_text(score, unit, language),
             expected=format_value(expected, score.measure, unit, language))
