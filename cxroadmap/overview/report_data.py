"""Everything a report prints, gathered by the services in a few queries; the PDF code only lays it out."""

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from cxroadmap.areas import ReportFigures, contributions
from cxroadmap.benefits import calc
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.benefits.services import portfolio
from cxroadmap.governance.summary import needs_attention
from cxroadmap.governance.timeline import Marks, organisation_marks
from cxroadmap.initiatives.models import Initiative
from cxroadmap.organisations.models import Organisation
from cxroadmap.overview.services import organisation_overview
from cxroadmap.readiness.models import ReadinessAssessment


@dataclass(frozen=True)
class InitiativeFigures:
    initiative: Initiative
    benefits: list[BenefitEstimate]
    case: calc.BusinessCase


@dataclass(frozen=True)
class ReportData:
    organisation: Organisation
    on: date
    generated_at: datetime
    horizon_years: int
    stage: Any  # the latest stage assessment, as the overview reads it; None before the first
    ladder: list[dict]
    readiness: dict[str, ReadinessAssessment | None]
    counts: dict[str, dict[str, int]]
    initiatives: list[InitiativeFigures]  # every initiative that is not archived, in reference order
    totals: calc.BusinessCase  # of those neither archived nor cancelled
    portfolio_payback: int | None
    by_kind: dict[str, Decimal]
    by_year: dict[int, Decimal]
    attention: list[Initiative]
    coverage: Any  # how many teams have a current role statement, as the overview counts them
    # What the timeline marks on each initiative's bar (milestones, conflicts), by initiative id.
    timeline_marks: dict[int, Marks] = field(default_factory=dict)
    # What the executive story tells (overview.narrative.Facts), gathered with the figures.
    facts: object = None
    # The areas' own figures (cxroadmap.areas.ReportFigures), by name: the KPIs' board, the journey's reading …
    figures: dict[str, Any] = field(default_factory=dict)

    def by_question(self, question: str) -> list[InitiativeFigures]:
        return [f for f in self.initiatives if f.initiative.readiness_question == question]


def gather(organisation: Organisation, on: date, generated_at: datetime, horizon_years: int,
           role_max_age_days: int) -> ReportData:
    """The figures of every report of the organisation, as they stand on `on`: the overview's, and what only
    a report prints (every initiative's business case, the portfolio's payback), and the areas' own figures."""
    overview = organisation_overview(organisation, on, horizon_years, role_max_age_days)
    # The counts, totals and years are the portfolio summary's, as the overview shows them; every initiative's
    # own case and the payback are what only a report prints.
    summary, money = overview.portfolio, portfolio(organisation, horizon_years, on)
    data = ReportData(
        organisation=organisation, on=on, generated_at=generated_at, horizon_years=horizon_years,
        stage=overview.stage, ladder=overview.ladder, readiness=overview.readiness, counts=summary.counts,
        initiatives=[InitiativeFigures(*row) for row in money.all_rows], totals=summary.totals,
        portfolio_payback=calc.portfolio_payback(money.plans), by_kind=summary.by_kind, by_year=summary.by_year,
        attention=needs_attention([row[0] for row in money.rows], on),
        coverage=overview.coverage,
        timeline_marks=organisation_marks(organisation),
    )
    data = replace(data, figures={part.name: part.gather(data) for part in contributions(ReportFigures)})
    from cxroadmap.overview.narrative import gather_facts  # it reads the figures gathered here

    return replace(data, facts=gather_facts(data))


# -- what the next report compares against ---------------------------------------------------------------

def snapshot(data: ReportData) -> dict:
    """The figures an issued report keeps, so that the next one can say what changed (plain JSON)."""
    return {
        "on": data.on.isoformat(),
        "stage": data.stage.stage if data.stage else None,
        "initiatives": {f.initiative.ref: {"title": f.initiative.title, "status": f.initiative.status,
                                           "health": f.initiative.health, "progress": f.initiative.progress}
                        for f in data.initiatives},
        "totals": {"annual_expected": str(data.totals.annual_expected),
                   "annual_risk_adjusted": str(data.totals.annual_risk_adjusted), "npv": str(data.totals.npv)},
    }


@dataclass(frozen=True)
class Changes:
    since: str
    stage: tuple[str | None, str | None]
    new: list[tuple[str, str]]  # (ref, title)
    finished: list[tuple[str, str]]
    health: list[tuple[str, str, str, str]]  # (ref, title, then, now)
    totals: dict[str, tuple[Decimal, Decimal]]  # figure -> (then, now)


def changes_since(previous: dict, current: dict) -> Changes:
    """What moved between two snapshots: stage, new and finished initiatives, health, benefit totals."""
    then, now = previous.get("initiatives", {}), current["initiatives"]
    return Changes(
        since=previous.get("on", ""),
        stage=(previous.get("stage"), current["stage"]),
        new=[(ref, item["title"]) for ref, item in now.items() if ref not in then],
        finished=[(ref, item["title"]) for ref, item in now.items()
                  if item["status"] == "done" and then.get(ref, {}).get("status") != "done"],
        health=[(ref, item["title"], then[ref]["health"], item["health"]) for ref, item in now.items()
                if ref in then and then[ref].get("health") != item["health"]],
        totals={name: (Decimal(previous.get("totals", {}).get(name, "0")), Decimal(value))
                for name, value in current["totals"].items()},
    )
