"""The journey's "fix first" in the report: the touchpoints the surveys' driver analyses name as important and doing
worse than the others, each with its share of the explained score, its mean rating and the survey that says so."""

from reportlab.platypus import Paragraph

from cxroadmap.reports.base import safe
from cxroadmap.reports.labels import label
from cxroadmap.surveys.drivers import organisation_fix_first


class FixFirstPart:
    """Mixed into a report renderer: self.data.on is the report's date."""

    def fix_first_part(self) -> list:
        found = organisation_fix_first(self.organisation, self.data.on)
        if not found:
            return []
        rows = [[row.name, row.survey_title, row.share_text, row.performance_text] for row in found]
        return [Paragraph(safe(label("fix_first.heading")), self.styles["h2"]),
                self.para(label("fix_first.intro"), "small"),
                *self.table([label("col.touchpoint"), label("fix_first.col.survey"), label("fix_first.col.share"),
                             label("fix_first.col.rating")], rows, [3.6, 3.6, 1.6, 1.4], numeric_from=2,
                            wrap={0, 1})]
