"""The assessment rounds' parts of the reports: the round the current stage was confirmed from, with its results
(the report's figures); in the roadmap, after the maturity ladder, what the raters said and where they disagreed;
in the story's stage paragraph, that the stage was confirmed from the round."""

from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, Spacer

from cxroadmap.areas import ReportFigures, ReportSection
from cxroadmap.assessments.results import round_results
from cxroadmap.assessments.services import round_from_latest_stage
from cxroadmap.charts.assessments import distribution
from cxroadmap.i18n import _l, text_from
from cxroadmap.maturity.story import StageConfirmation
from cxroadmap.stages import STAGES

TEXTS = {
    "heading": _l("How the stage was assessed"),
    "intro": _l("Steering confirmed the current stage from the assessment round “{title}”, which closed on "
                "{date}: {answered} of {invited} raters from several functions answered."),
    "suggested": _l("The answers suggested {stage} (the median of every dimension answer, rounded down)."),
    "overruled": _l("Steering chose otherwise, because: {reason}"),
    "disagreement": _l("Answers two or more stages apart (marked !) usually mean that functions experience "
                       "the organisation differently."),
    "col.dimension": _l("Dimension"),
    "col.median": _l("Median"),
    "col.spread": _l("Spread"),
    "col.answers": _l("Answers"),
    "story": _l("The stage was confirmed from the assessment round “{title}”: {answered} of {invited} "
                "raters answered."),
}


def text(key: str, **values) -> str:
    return text_from(TEXTS, key, **values)


def stage_round(data):
    """The round the report's current stage (data.stage) was confirmed from, with its results; None when the stage
    was typed in."""
    made = round_from_latest_stage(data.organisation, data.stage)
    return (made, round_results(made)) if made else None


def _dimension_row(item) -> list:
    summary = item.summary
    return [item.label + (" !" if summary.disagreement else ""),
            item.point_label(summary.median) if summary.n else "—",
            f"{item.point_label(summary.low)} – {item.point_label(summary.high)}" if summary.n else "—",
            str(summary.n)]


def round_part(report) -> list:
    """When the current stage came from a round: what the raters said, and where they disagreed."""
    if report.data.figures["assessment"] is None:
        return []
    made, results = report.data.figures["assessment"]
    story = [CondPageBreak(90 * mm), report.heading(text("heading"), "assessment-round"),
             report.para(text("intro", title=made.title, date=report.day(made.close_date), answered=results.answered,
                              invited=results.invited))]
    if results.suggested_stage_key:
        story.append(report.para(text("suggested", stage=STAGES.label(results.suggested_stage_key))))
    if made.overrule_reason:
        story.append(report.para(text("overruled", reason=made.overrule_reason)))
    if results.shown:
        story += [Spacer(0, 2 * mm), distribution(results.dimensions, report.content_width), Spacer(0, 3 * mm),
                  *report.table([text("col.dimension"), text("col.median"), text("col.spread"), text("col.answers")],
                                [_dimension_row(item) for item in results.dimensions], [3.6, 2.4, 4.0, 1.4]),
                  report.para(text("disagreement"), "small")]
    return story


@dataclass(frozen=True)
class RoundFacts:
    title: str
    answered: int
    invited: int


def round_facts(data) -> RoundFacts | None:
    found = data.figures["assessment"]
    return RoundFacts(found[0].title, found[1].answered, found[1].invited) if found else None


FIGURES = ReportFigures(name="assessment", gather=stage_round)
SECTION = ReportSection(places=("roadmap.maturity",), draw=round_part)
CONFIRMATION = StageConfirmation(facts=round_facts, sentence=lambda facts: text(
    "story", title=facts.title, answered=facts.answered, invited=facts.invited))
