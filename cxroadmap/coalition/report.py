"""The coalition's parts of the reports: its members and teams (the report's figures), and in the roadmap, after
the benefits, who is in the coalition and each team's role in the brand promise."""

from dataclasses import dataclass

from reportlab.platypus import CondPageBreak

from cxroadmap.areas import ReadablePart, ReportFigures, ReportSection
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.coalition.services import coalition_members, is_current, teams_with_roles
from cxroadmap.i18n import _l, text_from

TEXTS = {
    "heading": _l("Coalition and team roles"),
    "members": _l("The CX coalition"),
    "none": _l("No coalition members yet."),
    "teams.heading": _l("Teams and their role in the brand promise"),
    "teams.coverage": _l("{covered} of {teams} teams ({percent}) have a current statement of their role "
                         "(logged in the last {days} days)."),
    "teams.none": _l("No teams yet."),
    "teams.no_role": _l("No role logged yet."),
    "col.name": _l("Name"),
    "col.function": _l("Function"),
    "col.title": _l("Title"),
    "col.role": _l("Role"),
    "col.team": _l("Team"),
    "col.statement": _l("Role in the brand promise"),
    "col.touchpoints": _l("Touchpoints"),
    "col.logged": _l("Logged"),
}


def text(key: str, **values) -> str:
    return text_from(TEXTS, key, **values)


@dataclass(frozen=True)
class CoalitionFigures:
    members: list[CoalitionMember]  # the active ones
    teams: list[Team]  # with their role statements


def coalition_figures(data) -> CoalitionFigures:
    return CoalitionFigures(members=coalition_members(data.organisation, active_only=True),
                            teams=teams_with_roles(data.organisation))


def _team_rows(report, teams: list[Team], coverage) -> list[list]:
    rows = []
    for team in teams:
        current = team.current_statement
        stale = current is not None and not is_current(current, report.data.on, coverage.max_age_days)
        rows.append([team.name, current.statement if current else text("teams.no_role"),
                     ", ".join(current.touchpoints) if current else "",
                     (report.day(current.logged_on) + (" (!)" if stale else "")) if current else "—"])
    return rows


def coalition_part(report) -> list:
    """The coalition's members, then each team's current role statement and how many teams have one
    (report.data.coverage, as the overview counts it)."""
    figures: CoalitionFigures = report.data.figures["coalition"]
    story = [CondPageBreak(report.section_room), report.heading(text("heading"), "coalition"),
             report.heading(text("members"), "coalition-members", level=1)]
    if figures.members:
        story += report.table([text("col.name"), text("col.role"), text("col.function"), text("col.title")],
                              [[m.name, m.role_label, m.function or "—", m.title or "—"] for m in figures.members],
                              [3, 2, 2.5, 3.5])
    else:
        story.append(report.para(text("none")))
    story.append(report.heading(text("teams.heading"), "teams", level=1))
    coverage = report.data.coverage
    if not figures.teams:
        return story + [report.para(text("teams.none"))]
    story.append(report.para(text("teams.coverage", covered=coverage.part, teams=coverage.whole,
                                  percent=report.percent(coverage.share), days=coverage.max_age_days)))
    return story + report.table([text("col.team"), text("col.statement"), text("col.touchpoints"),
                                 text("col.logged")], _team_rows(report, figures.teams, coverage), [2.2, 5.5, 2.5, 1.6])


FIGURES = ReportFigures(name="coalition", gather=coalition_figures)
SECTION = ReportSection(places=("roadmap.after_benefits",), draw=coalition_part)
READABLE = ReadablePart("coalition/_readable.html", place="readable.roadmap")
