"""The steering committee's dashboard, gathered in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date

from cxroadmap.coalition.services import RoleCoverage, organisation_role_coverage
from cxroadmap.governance.summary import PortfolioSummary, portfolio_summary
from cxroadmap.journey.reading import ExperienceAlerts, experience_alerts
from cxroadmap.maturity.services import stage_history
from cxroadmap.measures.services import KpiFigures, off_track
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.readiness.services import readiness_scores
from cxroadmap.stages import STAGES


@dataclass(frozen=True)
class Dashboard:
    on: date
    stale_days: int
    portfolio: PortfolioSummary  # what needs attention, integrity and money: kept until the data changes
    stage_points: list[tuple[date, int]]
    target_stage: int | None
    readiness: dict[str, ReadinessAssessment | None]
    coverage: RoleCoverage
    experience: ExperienceAlerts  # the widest gaps on the journey, moments of truth without recent scores
    kpis_off_track: list[KpiFigures]  # worst achievement first

    # The lists are bounded (`Bounded`): their first rows, and how many there are in all.
    red_amber = property(lambda self: self.portfolio.red_amber)
    stale = property(lambda self: self.portfolio.stale)
    overdue_milestones = property(lambda self: self.portfolio.overdue_milestones)
    overdue_actions = property(lambda self: self.portfolio.overdue_actions)
    integrity = property(lambda self: self.portfolio.integrity)
    money = property(lambda self: self.portfolio.money)


def stage_points(organisation: Organisation) -> list[tuple[date, int]]:
    """The stage's history as (date assessed, stage number), oldest first: the stage chart alone."""
    return [(a.assessed_on, STAGES.position(a.stage)) for a in reversed(stage_history(organisation))]


def readiness_figures(organisation: Organisation, on: date, role_max_age_days: int):
    """The readiness scores and the teams' role coverage alone, for their charts."""
    return readiness_scores(organisation), organisation_role_coverage(organisation, on, role_max_age_days)


def target_stage(organisation: Organisation) -> int | None:
    return STAGES.position(organisation.target_stage) if organisation.target_stage else None


def dashboard(organisation: Organisation, on: date, stale_days: int, role_max_age_days: int,
              horizon_years: int) -> Dashboard:
    return Dashboard(
        on=on, stale_days=stale_days,
        portfolio=portfolio_summary(organisation, on, horizon_years, stale_days),
        stage_points=stage_points(organisation), target_stage=target_stage(organisation),
        readiness=readiness_scores(organisation),
        coverage=organisation_role_coverage(organisation, on, role_max_age_days),
        experience=experience_alerts(organisation, on),
        kpis_off_track=off_track(organisation, on),
    )
