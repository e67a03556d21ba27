"""The section of the reports that closes the loop: the follow-up cases of the last 90 days (the roadmap report and
the steering pack draw it, after their measures and after the initiatives' status)."""

from babel.numbers import format_decimal

from cxroadmap.areas import ReportSection
from cxroadmap.cases.figures import PERIOD_DAYS, closed_loop
from cxroadmap.cases.rules import cause_name
from cxroadmap.cases.services import root_causes, settings_of
from cxroadmap.i18n import _l, current_language, format_share, text_from
from cxroadmap.timeutil import utcnow

TEXTS = {
    "heading": _l("Closing the loop: unhappy customers followed up"),
    "intro": _l("Of the {cases} follow-up cases opened in the last {days} days, {judged} can be held to the "
                "service level: {in_time} of them were followed up in time ({share}). Closed: {closed}, in a "
                "median of {median} working days."),
    "none": _l("No follow-up case was opened in the last {days} days: no answer met the alert rule."),
    "causes": _l("Root causes, most frequent first: {causes}."),
    "col.team": _l("Team"),
    "col.cases": _l("Cases"),
    "col.in_time": _l("Followed up in time"),
    "col.median": _l("Median working days to close"),
    "no_team": _l("No team (CX lead)"),
    "no_touchpoint": _l("The relationship"),
}


def text(key: str, **values) -> str:
    """The section's fixed text for key, in the language the report is written in, with values filled in."""
    return text_from(TEXTS, key, **values)


def _days(value) -> str:
    return "—" if value is None else format_decimal(round(value, 1), format="0.0", locale=current_language())


def _share(figures) -> str:
    return "—" if figures.share_in_time is None else format_share(figures.share_in_time)


def closing_the_loop(report) -> list:
    """The follow-up cases of the last 90 days: how many were followed up within the service level, how fast they
    closed, by team, and the root causes named most."""
    loop = closed_loop(report.organisation, utcnow(), text("no_team"), text("no_touchpoint"))
    overall = loop.overall
    story = [report.heading(text("heading"), "loop")]
    if not overall.cases:
        return [*story, report.para(text("none", days=PERIOD_DAYS))]
    story.append(report.para(text("intro", cases=overall.cases, days=PERIOD_DAYS, judged=overall.judged,
                                  in_time=overall.in_time, share=_share(overall), closed=overall.closed,
                                  median=_days(overall.median_days_to_close))))
    rows = [[group.name, str(group.figures.cases), f"{group.figures.in_time} / {group.figures.judged} "
             f"({_share(group.figures)})", _days(group.figures.median_days_to_close)] for group in loop.by_team]
    story += report.table([text("col.team"), text("col.cases"), text("col.in_time"), text("col.median")], rows,
                          [4.6, 1.4, 2.6, 2.6], numeric_from=1)
    if overall.causes:
        causes = root_causes(settings_of(report.organisation))
        named = ", ".join(f"{cause_name(causes, key, current_language())} ({count})"
                          for key, count in overall.causes[:5])
        story.append(report.para(text("causes", causes=named)))
    return story


SECTION = ReportSection(places=("roadmap.after_measures", "steering_pack.after_status"), draw=closing_the_loop)
