"""The coalition's parts of the reports: its members and teams (the report's figures), and in the roadmap, after
the benefits, who is in the coalition and each team's role in the brand promise."""

from dataclasses import dataclass

from reportlab.platypus import CondPageBreak

from cxroadmap.areas import ReadablePart, ReportFigures, ReportSection
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.coalition.services import coalition_members, is_current, teams_with_roles
from cxroadmap.i18n import Texts

TEXTS = Texts.beside(__file__)


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
        rows.append([team.name, current.statement if current else TEXTS.say("teams.no_role"),
                     ", ".join(current.touchpoints) if current else "",
                     (report.day(current.logged_on) + (" (!)" if stale else "")) if current else "—"])
    return rows


def coalition_part(report) -> list:
    """The coalition's members, then each team's current role statement and how many teams have one
    (report.data.coverage, as the overview counts it)."""
    figures: CoalitionFigures = report.data.figures["coalition"]
    story = [CondPageBreak(report.section_room), report.heading(TEXTS.say("heading"), "coalition"),
             report.heading(TEXTS.say("members"), "coalition-members", level=1)]
    if figures.members:
        story += report.table(TEXTS.say_each("col.name", "col.role", "col.function", "col.title"),
                              [[m.name, m.role_label, m.function or "—", m.title or "—"] for m in figures.members],
                              [3, 2, 2.5, 3.5])
    else:
        story.append(report.para(TEXTS.say("none")))
    story.append(report.heading(TEXTS.say("teams.heading"), "teams", level=1))
    coverage = report.data.coverage
    if not figures.teams:
        return story + [report.para(TEXTS.say("teams.none"))]
    story.append(report.para(TEXTS.say("teams.coverage", covered=coverage.part, teams=coverage.whole,
                                       percent=report.percent(coverage.share), days=coverage.max_age_days)))
    return story + report.table(TEXTS.say_each("col.team", "col.statement", "col.touchpoints", "col.logged"),
                                _team_rows(report, figures.teams, coverage), [2.2, 5.5, 2.5, 1.6])


FIGURES = ReportFigures(name="coalition", gather=coalition_figures)
SECTION = ReportSection(places=("roadmap.after_benefits",), draw=coalition_part)
READABLE = ReadablePart("coalition/_readable.html", place="readable.roadmap")
