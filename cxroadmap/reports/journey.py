"""The journey's part of the report's "Customer experience measures": the gap chart and the moments of truth."""

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Paragraph, Spacer

from cxroadmap.charts.journey import journey_gaps
from cxroadmap.journey.formatting import format_gap, format_score
from cxroadmap.journey.reading import JourneyReading, gap_chart_rows
from cxroadmap.reports.base import safe
from cxroadmap.reports.document import CONTENT_WIDTH
from cxroadmap.reports.labels import label

# Touchpoints per drawing: one drawing never runs past a page.
GAP_CHART_ROWS = 30
# Touchpoints the executive summary names, widest shortfall first.
WIDEST_GAPS = 5


class JourneyPart:
    """Mixed into a report renderer: self.data.journey is the journey as read on the report's date."""

    def journey_part(self) -> list:
        journey: JourneyReading = self.data.journey
        story = [Paragraph(safe(label("journey.gaps")), self.styles["h2"])]
        if not journey.touchpoints:
            return story + [self.para(label("journey.none"))]
        story.append(self.para(label("journey.intro", gap=format_gap(journey.overall_gap),
                                     count=len(journey.touchpoints)), "small"))
        rows = gap_chart_rows(journey)
        for start in range(0, len(rows), GAP_CHART_ROWS):
            story += [journey_gaps(rows[start:start + GAP_CHART_ROWS], CONTENT_WIDTH, format_gap), Spacer(0, 3 * mm)]
        return story + self.moments_of_truth_part(journey)

    def widest_gaps_part(self, limit: int = WIDEST_GAPS) -> list:
        """For the executive summary: the touchpoints that fall furthest short of what customers expect."""
        journey: JourneyReading = self.data.journey
        short = [r for r in journey.ranked if r.gap is not None and r.gap < 0][:limit]
        if not short:
            return []
        rows = [[r.touchpoint.name, r.stage.name, format_score(r.latest.expectation),
                 format_score(r.latest.perception), format_gap(r.gap), str(r.latest.respondents)] for r in short]
        return [Paragraph(safe(label("journey.widest")), self.styles["h2"]),
                *self.table([label("col.touchpoint"), label("col.stage"), label("col.expectation"),
                             label("col.perception"), label("col.gap"), label("col.respondents")], rows,
                            [3.4, 2, 1.3, 1.3, 1.1, 1.5], numeric_from=2, wrap={0, 1})]

    def moments_of_truth_part(self, journey: JourneyReading) -> list:
        story = [CondPageBreak(40 * mm), Paragraph(safe(label("journey.moments")), self.styles["h2"])]
        moments = journey.moments_of_truth
        if not moments:
            return story + [self.para(label("journey.no_moments"))]
        rows = []
        for r in moments:
            latest = r.latest
            scored = self.day(latest.scored_on) if latest else label("journey.never")
            rows.append([r.touchpoint.name, r.stage.name, r.touchpoint.team.name if r.touchpoint.team
                         else label("journey.no_owner"),
                         format_score(latest.expectation) if latest else "—",
                         format_score(latest.perception) if latest else "—", format_gap(r.gap),
                         str(latest.respondents) if latest else "—", scored + (" (!)" if r.stale else "")])
        story += self.table([label("col.touchpoint"), label("col.stage"), label("col.team"),
                             label("col.expectation"), label("col.perception"), label("col.gap"),
                             label("col.respondents"), label("col.scored")], rows,
                            [2.8, 1.6, 1.8, 1.2, 1.2, 1.0, 1.5, 1.9], numeric_from=3, wrap={0, 1, 2})
        return story + [self.para(label("journey.footnote"), "small")]
