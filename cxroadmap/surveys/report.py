"""The surveys' part of the roadmap report: in its "Customer experience measures", after the journey, the touchpoints
the surveys' driver analyses name as important and doing worse than the others ("fix first"), each with its share of
the explained score, its mean rating and the survey that says so."""

from reportlab.platypus import Paragraph

from cxroadmap.areas import ReportSection
from cxroadmap.i18n import _l, text_from
from cxroadmap.surveys.drivers import organisation_fix_first

TEXTS = {
    "heading": _l("Fix first: important touchpoints that do worse"),
    "intro": _l("By the driver analysis of each survey (its answers of the last year): these touchpoints explain more "
                "of the score than the average touchpoint rated and get a lower mean rating than the average."),
    "col.touchpoint": _l("Touchpoint"),
    "col.survey": _l("Survey"),
    "col.share": _l("Share of the score"),
    "col.rating": _l("Mean rating"),
}


def text(key: str, **values) -> str:
    """The part's fixed text for key, in the language the report is written in."""
    return text_from(TEXTS, key, **values)


def fix_first_part(report) -> list:
    """Nothing when no survey's analysis names a touchpoint to fix first."""
    found = organisation_fix_first(report.organisation, report.data.on)
    if not found:
        return []
    rows = [[row.name, row.survey_title, row.share_text, row.performance_text] for row in found]
    return [Paragraph(report.safe(text("heading")), report.styles["h2"]),
            report.para(text("intro"), "small"),
            *report.table([text("col.touchpoint"), text("col.survey"), text("col.share"), text("col.rating")], rows,
                          [3.6, 3.6, 1.6, 1.4], numeric_from=2, wrap={0, 1})]


SECTIONS = (ReportSection(places=("roadmap.measures",), draw=fix_first_part, rank=30),)
