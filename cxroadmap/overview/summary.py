"""The executive summary: stage, readiness, figures, the ladder and what needs attention, in two pages."""

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from cxroadmap.charts import drawings
from cxroadmap.overview.organisation_report import OrganisationReport
from cxroadmap.reportkit.document import CONTENT_WIDTH
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.renderer import safe

ATTENTION_LIMIT = 12


class SummaryReport(OrganisationReport):
    title_key = "summary.title"
    has_cover = False

    def sections(self):
        return [self.header, self.narrative_part, self.since_section, self.summary, self.attention]

    def header(self) -> list:
        o = self.organisation
        story = [self.heading(o.name, "summary-title"), self.para(f"{label(self.title_key)} · {self.day(self.data.on)}",
                                                                  "small")]
        if o.brand_promise:
            story.append(self.para(f"“{o.brand_promise}”", "cover_promise"))
        return story

    def summary(self) -> list:
        return [Paragraph(safe(label("summary.stage")), self.styles["h2"]), self.para(self.stage_sentence()),
                Spacer(0, 2 * mm), drawings.ladder(self.data.ladder, CONTENT_WIDTH, height=120),
                Paragraph(safe(label("summary.readiness")), self.styles["h2"]), *self.readiness_table(),
                *self.summary_figures(), *self.parts("executive_summary.summary")]

    def attention(self) -> list:
        # Two pages at most: the most pressing ones (red before amber, earliest due first), then a count.
        return [*self.attention_section(limit=ATTENTION_LIMIT),
                Paragraph(safe(label("summary.initiatives")), self.styles["h2"]), *self.counts_table()]
