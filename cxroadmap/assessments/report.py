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
from cxroadmap.i18n import Texts
from cxroadmap.maturity.story import StageConfirmation
from cxroadmap.stages import STAGES

TEXTS = Texts.beside(__file__)


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
    story = [CondPageBreak(90 * mm), report.heading(TEXTS.say("heading"), "assessment-round"),
             report.para(TEXTS.say("intro", title=made.title, date=report.day(made.close_date),
                                   answered=results.answered, invited=results.invited))]
    if results.suggested_stage_key:
        story.append(report.para(TEXTS.say("suggested", stage=STAGES.label(results.suggested_stage_key))))
    if made.overrule_reason:
        story.append(report.para(TEXTS.say("overruled", reason=made.overrule_reason)))
    if results.shown:
        story += [Spacer(0, 2 * mm), distribution(results.dimensions, report.content_width), Spacer(0, 3 * mm),
                  *report.table(TEXTS.say_each("col.dimension", "col.median", "col.spread", "col.answers"),
                                [_dimension_row(item) for item in results.dimensions], [3.6, 2.4, 4.0, 1.4]),
                  report.para(TEXTS.say("disagreement"), "small")]
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
CONFIRMATION = StageConfirmation(facts=round_facts, sentence=lambda facts: TEXTS.say(
    "story", title=facts.title, answered=facts.answered, invited=facts.invited))
