"""The journey's slide in the steering deck (PowerPoint): the touchpoints that fall short of what customers
expect, widest gap first."""

from cxroadmap.areas import DeckPart
from cxroadmap.i18n import Texts
from cxroadmap.journey.formatting import format_gap, format_score
from cxroadmap.journey.reading import JourneyReading
from cxroadmap.journey.report import TEXTS as REPORT_TEXTS
from cxroadmap.journey.story import gap_sentence

TEXTS = Texts.beside(__file__)


def gaps_slide(deck) -> list:
    """The touchpoints that fall short, or the story's line saying why there are none."""
    journey: JourneyReading = deck.data.figures["journey"]
    slide = deck.slide(REPORT_TEXTS.say("widest"), TEXTS.say("notes"))
    short = [r for r in journey.ranked if r.gap is not None and r.gap < 0]
    if not short:
        deck.body(slide, [gap_sentence(deck.told("gaps"))])
        return []
    rows = [[r.touchpoint.name, r.stage.name, format_score(r.latest.expectation), format_score(r.latest.perception),
             format_gap(r.gap), str(r.latest.respondents)] for r in short]
    deck.table(slide, REPORT_TEXTS.say_each("col.touchpoint", "col.stage", "col.expectation", "col.perception",
                                            "col.gap", "col.respondents"), rows, [4, 2, 1.4, 1.4, 1.1, 1.5])
    return []


# After the KPIs' slides (rank 10).
PART = DeckPart(places=("deck.after_stage",), draw=gaps_slide, rank=20)
