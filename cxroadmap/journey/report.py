"""The journey's parts of the PDF reports: the figures every report is drawn from (the journey read on the report's
date); in the roadmap's "Customer experience measures" the gap chart and the moments of truth; in the executive
summary the touchpoints that fall furthest short."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from cxroadmap.areas import ReadablePart, ReportFigures, ReportSection
from cxroadmap.charts.journey import journey_gaps
from cxroadmap.i18n import Texts
from cxroadmap.journey.formatting import format_gap, format_score
from cxroadmap.journey.reading import JourneyReading, gap_chart_rows, journey_reading

# Touchpoints per drawing: one drawing never runs past a page.
GAP_CHART_ROWS = 30
# Touchpoints the executive summary names, widest shortfall first.
WIDEST_GAPS = 5

TEXTS = Texts.beside(__file__)


def journey_part(report) -> list:
    """The gap at each touchpoint as the report's date reads it (report.data.figures["journey"]), then the moments
    of truth."""
    journey: JourneyReading = report.data.figures["journey"]
    story = [report.para(TEXTS.say("gaps"), "h2")]
    if not journey.touchpoints:
        return story + [report.para(TEXTS.say("none"))]
    story.append(report.para(TEXTS.say("intro", gap=format_gap(journey.overall_gap), count=len(journey.touchpoints)),
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
    return [report.para(TEXTS.say("widest"), "h2"),
            *report.table(TEXTS.say_each("col.touchpoint", "col.stage", "col.expectation", "col.perception", "col.gap",
                                         "col.respondents"), rows, [3.4, 2, 1.3, 1.3, 1.1, 1.5], numeric_from=2,
                          wrap={0, 1})]


def _moment_row(report, r) -> list:
    latest = r.latest
    scored = report.day(latest.scored_on) if latest else TEXTS.say("never")
    return [r.touchpoint.name, r.stage.name, r.touchpoint.team.name if r.touchpoint.team else TEXTS.say("no_owner"),
            format_score(latest.expectation) if latest else "—", format_score(latest.perception) if latest else "—",
            format_gap(r.gap), str(latest.respondents) if latest else "—", scored + (" (!)" if r.stale else "")]


def moments_of_truth_part(report, journey: JourneyReading) -> list:
    story = [CondPageBreak(40 * mm), report.para(TEXTS.say("moments"), "h2")]
    moments = journey.moments_of_truth
    if not moments:
        return story + [report.para(TEXTS.say("no_moments"))]
    rows = [_moment_row(report, r) for r in moments]
    story += report.table(TEXTS.say_each("col.touchpoint", "col.stage", "col.team", "col.expectation", "col.perception",
                                         "col.gap", "col.respondents", "col.scored"),
                          rows, [2.8, 1.6, 1.8, 1.2, 1.2, 1.0, 1.5, 1.9], numeric_from=3, wrap={0, 1, 2})
    return story + [report.para(TEXTS.say("footnote"), "small")]


FIGURES = ReportFigures(name="journey", gather=lambda data: journey_reading(data.organisation, data.on))
# In the HTML version: the gap at each scored touchpoint, after the KPIs (rank 10).
READABLE = ReadablePart("journey/_readable.html", rank=20)
# The measures' part comes first in both places (rank 10), the journey's after it.
SECTIONS = (ReportSection(places=("roadmap.measures",), draw=journey_part, rank=20),
            ReportSection(places=("executive_summary.summary",), draw=widest_gaps_part, rank=20))
