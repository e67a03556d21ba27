"""The organisation's overview: its figures gathered from every area, for pages and reports alike."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cxroadmap.benefits.calc import benefit_by_calendar_year
from cxroadmap.benefits.services import Portfolio, portfolio
from cxroadmap.coalition.models import Team
from cxroadmap.coalition.services import RoleCoverage, role_coverage, teams_with_roles
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_counts
from cxroadmap.journey.reading import ExperienceAlerts, experience_alerts
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.maturity.services import current_stage, stage_ladder
from cxroadmap.measures.services import KpiFigures, off_track
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.readiness.services import readiness_scores


@dataclass(frozen=True)
class Overview:
    organisation: Organisation
    on: date
    stage: StageAssessment | None
    ladder: list[dict]
    readiness: dict[str, ReadinessAssessment | None]
    counts: dict[str, dict[str, int]]
    portfolio: Portfolio
    teams: list[Team]  # with their role statements
    coverage: RoleCoverage
    attention: list[Initiative]  # red or amber, or open past their due date
    by_year: dict[int, Decimal]  # risk-adjusted benefit per calendar year, this year and the horizon's next
    experience: ExperienceAlerts  # the widest gaps on the journey, moments of truth without recent scores
    kpis_off_track: list[KpiFigures]  # worst achievement first


def ladder_figures(organisation: Organisation) -> list[dict]:
    """The maturity ladder alone, for its chart: no portfolio is computed for it."""
    stage = current_stage(organisation)
    return stage_ladder(stage.stage if stage else None, organisation.target_stage)


def readiness_figures(organisation: Organisation, on: date, role_max_age_days: int):
    """The readiness scores and the teams' role coverage alone, for their chart."""
    return readiness_scores(organisation), role_coverage(teams_with_roles(organisation), on, role_max_age_days)


def benefit_years(organisation: Organisation, on: date, horizon_years: int) -> dict[int, Decimal]:
    """The risk-adjusted benefit per calendar year alone, for its chart."""
    streams = portfolio(organisation, horizon_years, on).streams
    return benefit_by_calendar_year(streams, on.year, on.year + horizon_years - 1)


def needs_attention(initiatives: list[Initiative], on: date) -> list[Initiative]:
    """Open initiatives that are red, amber or overdue: red first, then amber, then by due date."""
    flagged = [i for i in initiatives if i.is_open and (i.health in ("red", "amber") or i.is_overdue(on))]
    rank = {"red": 0, "amber": 1, "green": 2}
    return sorted(flagged, key=lambda i: (rank[i.health], i.due_date or date.max, i.ref))


def organisation_overview(organisation: Organisation, on: date, horizon_years: int,
                          role_max_age_days: int) -> Overview:
    stage = current_stage(organisation)
    figures = portfolio(organisation, horizon_years, on)
    teams = teams_with_roles(organisation)
    return Overview(
        organisation=organisation,
        on=on,
        stage=stage,
        ladder=stage_ladder(stage.stage if stage else None, organisation.target_stage),
        readiness=readiness_scores(organisation),
        counts=initiative_counts(organisation),
        portfolio=figures,
        teams=teams,
        coverage=role_coverage(teams, on, role_max_age_days),
        attention=needs_attention([row[0] for row in figures.rows], on),
        by_year=benefit_by_calendar_year(figures.streams, on.year, on.year + horizon_years - 1),
        experience=experience_alerts(organisation, on),
        kpis_off_track=off_track(organisation, on),
    )
