"""The journey's parts of the PDF reports: the figures every report is drawn from (the journey read on the report's
date); in the roadmap's "Customer experience measures" the gap chart and the moments of truth; in the executive
summary the touchpoints that fall furthest short."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from cxroadmap.areas import ReadablePart, ReportFigures, ReportSection
from cxroadmap.charts.journey import journey_gaps
from cxroadmap.i18n import _l, text_from
from cxroadmap.journey.formatting import format_gap, format_score
from cxroadmap.journey.reading import JourneyReading, gap_chart_rows, journey_reading

# Touchpoints per drawing: one drawing never runs past a page.
GAP_CHART_ROWS = 30
# Touchpoints the executive summary names, widest shortfall first.
WIDEST_GAPS = 5

TEXTS = {
    "widest": _l("Widest gaps between expectation and perception"),
    "gaps": _l("The journey: the gap at each touchpoint"),
    "intro": _l("Latest perception minus latest expectation on a 1–7 scale at each of the {count} touchpoints; left "
                "of zero the touchpoint falls short of what customers expect. Overall gap, weighted by respondents: "
                "{gap}."),
    "none": _l("No touchpoints on the journey yet."),
    "moments": _l("Moments of truth"),
    "no_moments": _l("No touchpoint is marked as a moment of truth yet."),
    "never": _l("never"),
    "no_owner": _l("no owner"),
    "footnote": _l("(!) no score in the last 180 days: a moment of truth decides whether customers stay, so it "
                   "should be measured at least twice a year."),
    "col.touchpoint": _l("Touchpoint"),
    "col.stage": _l("Stage"),
    "col.team": _l("Team"),
    "col.expectation": _l("Expected"),
    "col.perception": _l("Perceived"),
    "col.gap": _l("Gap"),
    "col.respondents": _l("Respondents"),
    "col.scored": _l("Scored"),
}


def text(key: str, **values) -> str:
    """The parts' fixed text for key, in the language the report is written in, with values filled in."""
    return text_from(TEXTS, key, **values)


def journey_part(report) -> list:
    """The gap at each touchpoint as the report's date reads it (report.data.figures["journey"]), then the moments
    of truth."""
    journey: JourneyReading = report.data.figures["journey"]
    story = [report.para(text("gaps"), "h2")]
    if not journey.touchpoints:
        return story + [report.para(text("none"))]
    story.append(report.para(text("intro", gap=format_gap(journey.overall_gap), count=len(journey.touchpoints)),
                             "small"))
    rows = gap_chart_rows(journey)
    for start in range(0, len(rows), GAP_CHART_ROWS):
        story += [journey_gaps(rows[start:start + GAP_CHART_ROWS], report.content_width, format_gap),
                  Spacer(0, 3 * mm)]
    return story + moments_of_truth_part(report, journey)


def widest_gaps_part(report, limit: int = WIDEST_GAPS) -> list:
    """For the executive summary: the touchpoints that fall furthest short of what customers expect."""
    journey: JourneyReading = report.data.figures["journey"]
    short = [r for r in journey.ranked if r.gap is not None and r.gap < 0][:limit]
    if not short:
        return []
    rows = [[r.touchpoint.name, r.stage.name, format_score(r.latest.expectation),
             format_score(r.latest.perception), format_gap(r.gap), str(r.latest.respondents)] for r in short]
    return [report.para(text("widest"), "h2"),
            *report.table([text("col.touchpoint"), text("col.stage"), text("col.expectation"),
                           text("col.perception"), text("col.gap"), text("col.respondents")], rows,
                          [3.4, 2, 1.3, 1.3, 1.1, 1.5], numeric_from=2, wrap={0, 1})]


def _moment_row(report, r) -> list:
    latest = r.latest
    scored = report.day(latest.scored_on) if latest else text("never")
    return [r.touchpoint.name, r.stage.name, r.touchpoint.team.name if r.touchpoint.team else text("no_owner"),
            format_score(latest.expectation) if latest else "—", format_score(latest.perception) if latest else "—",
            format_gap(r.gap), str(latest.respondents) if latest else "—", scored + (" (!)" if r.stale else "")]


def moments_of_truth_part(report, journey: JourneyReading) -> list:
    story = [CondPageBreak(40 * mm), report.para(text("moments"), "h2")]
    moments = journey.moments_of_truth
    if not moments:
        return story + [report.para(text("no_moments"))]
    rows = [_moment_row(report, r) for r in moments]
    story += report.table([text("col.touchpoint"), text("col.stage"), text("col.team"), text("col.expectation"),
                           text("col.perception"), text("col.gap"), text("col.respondents"), text("col.scored")],
                          rows, [2.8, 1.6, 1.8, 1.2, 1.2, 1.0, 1.5, 1.9], numeric_from=3, wrap={0, 1, 2})
    return story + [report.para(text("footnote"), "small")]


FIGURES = ReportFigures(name="journey", gather=lambda data: journey_reading(data.organisation, data.on))
# In the HTML version: the gap at each scored touchpoint, after the KPIs (rank 10).
READABLE = ReadablePart("journey/_readable.html", rank=20)
# The measures' part comes first in both places (rank 10), the journey's after it.
SECTIONS = (ReportSection(places=("roadmap.measures",), draw=journey_part, rank=20),
            ReportSection(places=("executive_summary.summary",), draw=widest_gaps_part, rank=20))
