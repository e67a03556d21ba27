"""The journey's line of the reports' executive story: the touchpoints that fall furthest short of what customers
expect, in the reader's language."""

from dataclasses import dataclass, field
from decimal import Decimal

from cxroadmap.areas import StoryLine
from cxroadmap.i18n import Texts
from cxroadmap.journey.formatting import format_gap
from cxroadmap.journey.reading import JourneyReading

TEXTS = Texts.beside(__file__)

GAPS_TOLD = 3


@dataclass(frozen=True)
class GapFacts:
    """What the line tells, as plain values."""

    gaps: list[tuple[str, Decimal]] = field(default_factory=list)  # (touchpoint, gap), widest shortfall first
    scored_touchpoints: int = 0


def gap_facts(data) -> GapFacts:
    """The shortfalls, from the report's reading of the journey (data.figures["journey"])."""
    journey: JourneyReading = data.figures["journey"]
    return GapFacts(gaps=[(r.touchpoint.name, r.gap) for r in journey.ranked if r.gap is not None and r.gap < 0],
                    scored_touchpoints=sum(1 for r in journey.touchpoints if r.gap is not None))


def gap_sentence(facts: GapFacts) -> str:
    if not facts.scored_touchpoints:
        return TEXTS.say("gaps.none")
    if not facts.gaps:
        return TEXTS.say("gaps.none_short")
    return TEXTS.say("gaps.widest", gaps=_listed([TEXTS.say("gap", touchpoint=name, gap=format_gap(gap))
                                                  for name, gap in facts.gaps[:GAPS_TOLD]]))


def _listed(items: list[str]) -> str:
    if len(items) < 2:
        return "".join(items)
    return TEXTS.say("list.and", items=", ".join(items[:-1]), last=items[-1])


# Told after the KPIs (rank 10).
LINE = StoryLine(name="gaps", facts=gap_facts, sentence=gap_sentence, rank=20)
