"""The organisation's overview: its figures gathered from every area, for pages and reports alike."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from cxroadmap.coalition.services import RoleCoverage, organisation_role_coverage
from cxroadmap.governance.summary import Bounded, PortfolioSummary, portfolio_summary
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
    portfolio: PortfolioSummary  # figures of every initiative, kept until the organisation's data changes
    coverage: RoleCoverage
    experience: ExperienceAlerts  # the widest gaps on the journey, moments of truth without recent scores
    kpis_off_track: list[KpiFigures]  # worst achievement first

    @property
    def counts(self) -> dict[str, dict[str, int]]:
        return self.portfolio.counts

    @property
    def attention(self) -> Bounded:
        """Open initiatives that are red, amber or overdue, the first of them as rows (`Listed`)."""
        return self.portfolio.attention

    @property
    def by_year(self) -> dict[int, Decimal]:
        return self.portfolio.by_year


def ladder_figures(organisation: Organisation) -> list[dict]:
    """The maturity ladder alone, for its chart: no portfolio is computed for it."""
    stage = current_stage(organisation)
    return stage_ladder(stage.stage if stage else None, organisation.target_stage)


def benefit_years(organisation: Organisation, on: date, horizon_years: int, stale_days: int) -> dict[int, Decimal]:
    """The risk-adjusted benefit per calendar year alone, for its chart (from the portfolio summary); years before
    the first that brings anything are left out, so the chart does not open on an empty year."""
    by_year = portfolio_summary(organisation, on, horizon_years, stale_days).by_year
    years = sorted(by_year)
    while len(years) > 1 and not by_year[years[0]]:
        years.pop(0)
    return {year: by_year[year] for year in years}


def organisation_overview(organisation: Organisation, on: date, horizon_years: int, role_max_age_days: int,
                          stale_days: int = 30) -> Overview:
    stage = current_stage(organisation)
    return Overview(
        organisation=organisation,
        on=on,
        stage=stage,
        ladder=stage_ladder(stage.stage if stage else None, organisation.target_stage),
        readiness=readiness_scores(organisation),
        portfolio=portfolio_summary(organisation, on, horizon_years, stale_days),
        coverage=organisation_role_coverage(organisation, on, role_max_age_days),
        experience=experience_alerts(organisation, on),
        kpis_off_track=off_track(organisation, on),
    )
