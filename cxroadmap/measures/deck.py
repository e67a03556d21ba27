"""The KPIs' slides in the steering deck (PowerPoint): each KPI against its target, their achievement as a native
chart, and the KPIs off track among the decisions needed."""

from pptx.util import Inches

from cxroadmap.areas import DeckPart
from cxroadmap.i18n import Texts, current_language
from cxroadmap.measures.formatting import format_achievement
from cxroadmap.measures.report import TEXTS as REPORT_TEXTS
from cxroadmap.measures.report import kpi_value
from cxroadmap.measures.services import KpiFigures
from cxroadmap.measures.story import kpi_sentence

CHARTED = 12  # KPIs the chart holds

TEXTS = Texts.beside(__file__)


def _name(figures: KpiFigures) -> str:
    return f"{figures.kpi.code} · {figures.kpi.name}"


def kpi_slides(deck) -> list:
    """The KPIs' table (its notes tell the story's KPI line), then their achievement as a chart."""
    kpis: list[KpiFigures] = deck.data.figures["kpis"]
    slide = deck.slide(TEXTS.say("kpis"), TEXTS.say("notes.kpis"))
    if not kpis:
        deck.body(slide, [REPORT_TEXTS.say("none")])
        return []
    language = current_language()
    rows = [[_name(f), kpi_value(f.kpi.baseline_value, f.kpi), kpi_value(f.kpi.target_value, f.kpi),
             kpi_value(f.latest.value, f.kpi) if f.latest else "—", f.status_label,
             format_achievement(f.achievement, language)] for f in kpis]
    deck.table(slide, REPORT_TEXTS.say_each("col.kpi", "col.baseline", "col.target", "col.latest", "col.status",
                                            "col.achieved"), rows, [4, 1.4, 1.4, 1.4, 1.4, 1.2], top=Inches(1.3))
    deck.note(slide, " " + kpi_sentence(deck.told("kpis")))
    measured = [f for f in kpis if f.achievement is not None][:CHARTED]
    if measured:
        deck.bar_chart(TEXTS.say("chart"), TEXTS.say("notes.kpis"), [_name(f) for f in measured],
                       REPORT_TEXTS.say("col.achieved"), [float(f.achievement) for f in measured], '0.0"%"')
    return []


def kpis_off_track(deck) -> list[str]:
    """For "Decisions needed": each KPI off track, where it stands and where it should be by now."""
    return [TEXTS.say("decide.kpi", kpi=_name(f), latest=kpi_value(f.latest.value, f.kpi),
                      expected=kpi_value(f.expected, f.kpi))
            for f in deck.data.figures["kpis"] if f.status == "off_track"]


# After the stage, before the journey's gaps (rank 20); among the decisions after the initiatives.
PARTS = (DeckPart(places=("deck.after_stage",), draw=kpi_slides, rank=10),
         DeckPart(places=("deck.decisions",), draw=kpis_off_track, rank=10))
