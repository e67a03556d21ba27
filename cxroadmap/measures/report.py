"""The KPIs' parts of the PDF reports: the figures every report is drawn from (every KPI's on the report's date);
in the roadmap's "Customer experience measures" each KPI's baseline, target, latest reading, status and sparkline;
in both summaries the KPIs off track; in the steering pack's agenda the KPIs the initiatives under review should
move."""

from datetime import date

from reportlab.platypus import Paragraph

from cxroadmap.areas import ReadablePart, ReportFigures, ReportSection
from cxroadmap.charts.measures import STATUS_COLOURS, sparkline
from cxroadmap.i18n import Texts, current_language
from cxroadmap.measures import scores
from cxroadmap.measures.formatting import format_achievement, format_change, format_value, plot
from cxroadmap.measures.kinds import KPI_KINDS
from cxroadmap.measures.links import kpi_links_of
from cxroadmap.measures.models import InitiativeKpi
from cxroadmap.measures.services import KpiFigures, kpi_board

SPARK_WIDTH, SPARK_HEIGHT = 56, 16

TEXTS = Texts.beside(__file__)


def kpi_value(value, kpi) -> str:
    """A KPI's value as its measure writes it ("42.5%", "+17"), in the report's language."""
    return format_value(value, kpi.measure, kpi.unit, current_language())


def kpi_status_cell(report, figures: KpiFigures) -> Paragraph:
    """The KPI's status in a table cell, behind a dot of its colour."""
    colour = STATUS_COLOURS.get(figures.status)
    mark = f'<font color="{colour.hexval()}">●</font> ' if colour else ""
    return Paragraph(mark + report.safe(figures.status_label), report.styles["cell"])


def kpi_latest(report, figures: KpiFigures, dated: bool = True) -> str:
    """The latest reading; a survey KPI's with its n and 95 % interval, or "too few answers to conclude"
    (measures.scores, as the pages and mails word it)."""
    k, latest = figures.kpi, figures.latest
    if latest is None:
        return "—"
    lines = [kpi_value(latest.value, k)]
    if figures.latest_honest is not None:
        lines.append(scores.note_text(figures.latest_honest.score, k.unit, current_language()))
    if dated:
        lines.append(report.day(latest.taken_on))
    return "\n".join(line for line in lines if line)


def _kpi_row(report, f: KpiFigures) -> list:
    k = f.kpi
    return [
        f"{k.code} · {k.name}",
        f"{kpi_value(k.baseline_value, k)}\n{report.day(k.baseline_on)}",
        f"{kpi_value(k.target_value, k)}\n{report.day(k.target_on)}",
        kpi_latest(report, f),
        kpi_status_cell(report, f),
        format_achievement(f.achievement, current_language()),
        sparkline(plot([(r.taken_on, r.value) for r in f.readings], (k.baseline_on, k.baseline_value),
                       (k.target_on, k.target_value), SPARK_WIDTH, SPARK_HEIGHT, pad=2), f.status),
    ]


def kpi_part(report) -> list:
    """Every KPI's figures on the report's date (report.data.figures["kpis"]), O-data first, then X-data."""
    kpis: list[KpiFigures] = report.data.figures["kpis"]
    story = [report.para(TEXTS.say("heading"), "h2")]
    if not kpis:
        return story + [report.para(TEXTS.say("none"))]
    story.append(report.para(TEXTS.say("intro"), "small"))
    for kind in KPI_KINDS:
        rows = [_kpi_row(report, f) for f in kpis if f.kpi.kind == kind.key]
        if rows:
            story.append(report.para(f"{kind.label}: {kind.description}", "small"))
            story += report.table(TEXTS.say_each("col.kpi", "col.baseline", "col.target", "col.latest", "col.status",
                                                 "col.achieved", "col.trend"), rows,
                                  [3.0, 1.7, 1.7, 1.7, 1.4, 1.1, 1.7], wrap={0, 1, 2, 3})
    return story


def kpis_off_track_part(report) -> list:
    """For the summaries: the KPIs off track, named, or a line saying there are none."""
    kpis: list[KpiFigures] = report.data.figures["kpis"]
    if not kpis:
        return []
    story = [report.para(TEXTS.say("off_track"), "h2")]
    off = [f for f in kpis if f.status == "off_track"]
    if not off:
        return story + [report.para(TEXTS.say("none_off_track"))]
    rows = [[f"{f.kpi.code} · {f.kpi.name}", kpi_latest(report, f, dated=False), kpi_value(f.expected, f.kpi),
             kpi_value(f.kpi.target_value, f.kpi)] for f in off]
    return story + report.table(TEXTS.say_each("col.kpi", "col.latest", "col.expected", "col.target"),
                                rows, [4.2, 2.4, 1.6, 1.6], numeric_from=1, wrap={0, 1})


# -- the steering pack -------------------------------------------------------------------------------------

def agenda_kpis(organisation, agenda: list, on: date) -> list[tuple[KpiFigures, list[InitiativeKpi]]]:
    """Each KPI an initiative on the agenda should move, with its figures and the agenda's ties to it, by code."""
    ties = [link for links in kpi_links_of([i.id for i in agenda]).values() for link in links]
    if not ties:
        return []
    board = {f.kpi.id: f for f in kpi_board(organisation, on)}
    by_kpi: dict[int, list[InitiativeKpi]] = {}
    for link in ties:
        by_kpi.setdefault(link.kpi_id, []).append(link)
    return sorted(((board[kpi_id], links) for kpi_id, links in by_kpi.items()), key=lambda row: row[0].kpi.code)


def _expected(link: InitiativeKpi, kpi) -> str:
    if link.expected_change is None:
        return ""
    return f" ({format_change(link.expected_change, kpi.measure, kpi.unit, current_language())})"


def agenda_kpis_part(pack) -> list:
    """For the steering pack's agenda (pack.data.agenda, on pack.data.on): the KPIs its initiatives should move,
    by whom, where they stand and where they should be by now."""
    story = [pack.subheading(TEXTS.say("pack.kpis"))]
    kpis = agenda_kpis(pack.organisation, pack.data.agenda, pack.data.on)
    if not kpis:
        return story + [pack.para(TEXTS.say("pack.kpis_none"), "small")]
    rows = []
    for f, links in kpis:
        k = f.kpi
        moved = ", ".join(link.initiative.ref + _expected(link, k) for link in links)
        rows.append([f"{k.code} · {k.name}", moved, kpi_value(f.latest.value, k) if f.latest else "—",
                     kpi_value(f.expected, k), kpi_value(k.target_value, k), kpi_status_cell(pack, f)])
    return story + pack.table(TEXTS.say_each("col.kpi", "pack.moved_by", "col.latest", "col.expected", "col.target",
                                             "col.status"), rows, [3.4, 2.4, 1.3, 1.4, 1.3, 1.5], wrap={0, 1})


FIGURES = ReportFigures(name="kpis", gather=lambda data: kpi_board(data.organisation, data.on))
# In the HTML version: every KPI against its target, before the journey's gaps (rank 20).
READABLE = ReadablePart("measures/_readable.html", rank=10)
# Before the journey's parts at both places (rank 20).
SECTIONS = (ReportSection(places=("roadmap.measures",), draw=kpi_part, rank=10),
            ReportSection(places=("roadmap.summary", "executive_summary.summary"), draw=kpis_off_track_part, rank=10),
            ReportSection(places=("steering_pack.agenda",), draw=agenda_kpis_part))
