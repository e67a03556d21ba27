"""The surveys' part of the roadmap report: in its "Customer experience measures", after the journey, the touchpoints
the surveys' driver analyses name as important and doing worse than the others ("fix first"), each with its share of
the explained score, its mean rating and the survey that says so."""

from reportlab.platypus import Paragraph

from cxroadmap.areas import ReportSection
from cxroadmap.i18n import Texts
from cxroadmap.surveys.drivers import organisation_fix_first

TEXTS = Texts.beside(__file__)


def fix_first_part(report) -> list:
    """Nothing when no survey's analysis names a touchpoint to fix first."""
    found = organisation_fix_first(report.organisation, report.data.on)
    if not found:
        return []
    rows = [[row.name, row.survey_title, row.share_text, row.performance_text] for row in found]
    return [Paragraph(report.safe(TEXTS.say("heading")), report.styles["h2"]),
            report.para(TEXTS.say("intro"), "small"),
            *report.table(TEXTS.say_each("col.touchpoint", "col.survey", "col.share", "col.rating"), rows,
                          [3.6, 3.6, 1.6, 1.4], numeric_from=2, wrap={0, 1})]


SECTIONS = (ReportSection(places=("roadmap.measures",), draw=fix_first_part, rank=30),)
