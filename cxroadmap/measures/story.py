"""The KPIs' line of the reports' executive story: which KPIs moved between their last two readings, and whether a
survey KPI's change is clear at 95 % (`statistics.readings`), in the reader's language."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from cxroadmap.areas import StoryLine
from cxroadmap.i18n import Texts, current_language, format_day
from cxroadmap.measures.formatting import format_value
from cxroadmap.measures.services import KpiFigures
from cxroadmap.statistics.changes import FALL, NO_CLEAR_CHANGE, RISE
from cxroadmap.statistics.readings import TOO_FEW, read_score, score_verdict

TEXTS = Texts.beside(__file__)

KPI_MOVES_TOLD = 3


@dataclass(frozen=True)
class KpiMove:
    """A KPI's last two readings."""

    name: str
    measure: str
    unit: str
    before: Decimal
    after: Decimal
    before_on: date
    after_on: date
    before_n: int | None
    after_n: int | None


@dataclass(frozen=True)
class KpiFacts:
    """What the line tells, as plain values."""

    moves: list[KpiMove] = field(default_factory=list)
    with_two_readings: int = 0


def kpi_facts(data) -> KpiFacts:
    """The KPIs that moved, from the report's KPI figures (data.figures["kpis"])."""
    kpis: list[KpiFigures] = data.figures["kpis"]
    return KpiFacts(moves=[_move(f) for f in kpis if len(f.readings) >= 2 and f.readings[-1].value
                           != f.readings[-2].value],
                    with_two_readings=sum(1 for f in kpis if len(f.readings) >= 2))


def _move(figures: KpiFigures) -> KpiMove:
    k, before, after = figures.kpi, figures.readings[-2], figures.readings[-1]
    return KpiMove(f"{k.code} {k.name}", k.measure, k.unit, before.value, after.value, before.taken_on,
                   after.taken_on, before.respondents, after.respondents)


# -- the honest change -------------------------------------------------------------------------------------

def verdict(move: KpiMove) -> str | None:
    """'rise', 'fall', 'none' (no clear change) or 'few' (too few answers); None when the readings carry no
    number of answers or the measure cannot be tested from a reading (the rule: `statistics.readings`)."""
    if not move.before_n or not move.after_n:
        return None
    found = score_verdict(read_score(move.measure, move.before, move.before_n),
                          read_score(move.measure, move.after, move.after_n))
    return {RISE: "rise", FALL: "fall", NO_CLEAR_CHANGE: "none", TOO_FEW: "few"}.get(found)


# -- the sentence ------------------------------------------------------------------------------------------

def kpi_sentence(facts: KpiFacts) -> str:
    if not facts.with_two_readings:
        return TEXTS.say("kpis.none")
    if not facts.moves:
        return TEXTS.say("kpis.steady")
    # Those with a verdict first: a clear change is the news.
    moves = sorted(facts.moves, key=lambda m: {"rise": 0, "fall": 0, "none": 1, "few": 2, None: 3}[verdict(m)])
    words = [kpi_move_sentence(m) for m in moves[:KPI_MOVES_TOLD]]
    if len(moves) > KPI_MOVES_TOLD:
        words.append(TEXTS.say("kpis.more", count=len(moves) - KPI_MOVES_TOLD))
    return " ".join(words)


def kpi_move_sentence(move: KpiMove) -> str:
    language = current_language()
    before = format_value(move.before, move.measure, move.unit, language)
    after = format_value(move.after, move.measure, move.unit, language)
    found = verdict(move)
    if found is None:
        return TEXTS.say("kpi.plain", kpi=move.name, before=before, after=after, then=format_day(move.before_on),
                         now=format_day(move.after_on))
    return TEXTS.say("kpi.verdict", kpi=move.name, before=before, after=after, n_before=move.before_n,
                     n_after=move.after_n, verdict=TEXTS.say(f"verdict.{found}"))


# Told after the stage, before the journey's gaps (rank 20).
LINE = StoryLine(name="kpis", facts=kpi_facts, sentence=kpi_sentence, rank=10)
