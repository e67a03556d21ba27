"""The section of the reports that closes the loop: the follow-up cases of the last 90 days (the roadmap report and
the steering pack draw it, after their measures and after the initiatives' status)."""

from babel.numbers import format_decimal

from cxroadmap.areas import ReportSection
from cxroadmap.cases.figures import PERIOD_DAYS, closed_loop
from cxroadmap.cases.rules import cause_name
from cxroadmap.cases.services import root_causes, settings_of
from cxroadmap.i18n import Texts, current_language, format_share
from cxroadmap.timeutil import utcnow

TEXTS = Texts.beside(__file__)


def _days(value) -> str:
    return "—" if value is None else format_decimal(round(value, 1), format="0.0", locale=current_language())


def closing_the_loop(report) -> list:
    """The follow-up cases of the last 90 days: how many were followed up within the service level, how fast they
    closed, by team, and the root causes named most."""
    loop = closed_loop(report.organisation, utcnow(), TEXTS.say("no_team"), TEXTS.say("no_touchpoint"))
    overall = loop.overall
    story = [report.heading(TEXTS.say("heading"), "loop")]
    if not overall.cases:
        return [*story, report.para(TEXTS.say("none", days=PERIOD_DAYS))]
    story.append(report.para(TEXTS.say("intro", cases=overall.cases, days=PERIOD_DAYS, judged=overall.judged,
                                       in_time=overall.in_time, share=format_share(overall.share_in_time),
                                       closed=overall.closed, median=_days(overall.median_days_to_close))))
    rows = [[group.name, str(group.figures.cases), f"{group.figures.in_time} / {group.figures.judged} "
             f"({format_share(group.figures.share_in_time)})", _days(group.figures.median_days_to_close)]
            for group in loop.by_team]
    story += report.table(TEXTS.say_each("col.team", "col.cases", "col.in_time", "col.median"), rows,
                          [4.6, 1.4, 2.6, 2.6], numeric_from=1)
    if overall.causes:
        causes = root_causes(settings_of(report.organisation))
        named = ", ".join(f"{cause_name(causes, key, current_language())} ({count})"
                          for key, count in overall.causes[:5])
        story.append(report.para(TEXTS.say("causes", causes=named)))
    return story


SECTION = ReportSection(places=("roadmap.after_measures", "steering_pack.after_status"), draw=closing_the_loop)
