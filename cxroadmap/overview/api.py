"""The API's organisations: those a token reaches, and one with its overview figures."""

from datetime import date
from decimal import Decimal

from flask import current_app, g
from pydantic import Field

from cxroadmap.accounts.tokens import organisations_through
from cxroadmap.apikit.resources import api_url
from cxroadmap.apikit.schemas import Response, Role, Stage
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.organisations.models import Organisation as OrganisationRow
from cxroadmap.overview.services import organisation_overview
from cxroadmap.timeutil import today

bp = ApiOperations()


class OrganisationSummary(Response):
    slug: str
    name: str
    currency: str
    locale: str
    role: Role = Field(description="What this token may do there: its owner's role, at most viewer when read-only.")
    url: str


class OrganisationList(Response):
    items: list[OrganisationSummary]


class Counts(Response):
    by_status: dict[str, int]
    by_health: dict[str, int]
    by_question: dict[str, int]


class PortfolioFigures(Response):
    annual_expected: Decimal
    annual_risk_adjusted: Decimal
    one_off_cost: Decimal
    annual_running_cost: Decimal
    horizon_years: int
    npv: Decimal
    roi: Decimal | None
    payback_months: int | None


class Organisation(OrganisationSummary):
    brand_promise: str
    discount_rate: Decimal
    current_stage: Stage | None
    target_stage: Stage | None
    target_date: date | None
    initiatives: Counts
    portfolio: PortfolioFigures
    needs_attention: list[str] = Field(description="Refs of open initiatives that are red, amber or overdue.")


def _summary(organisation: OrganisationRow, role: str) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "currency": organisation.currency,
            "locale": organisation.locale, "role": role, "url": api_url(f"/o/{organisation.slug}")}


@operation(bp, "GET", "/organisations", summary="The organisations this token reaches", tag="Organisations",
           role=None, response=OrganisationList)
def organisations():
    items = [OrganisationSummary(**_summary(o, role)) for o, role in organisations_through(g.api_token)]
    return OrganisationList(items=items)


@operation(bp, "GET", "/o/<slug>", summary="An organisation with its overview figures", tag="Organisations",
           response=Organisation)
def organisation(organisation: OrganisationRow):
    config = current_app.config
    overview = organisation_overview(organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                                     config["ROLE_STATEMENT_MAX_AGE_DAYS"], config["STALE_UPDATE_DAYS"])
    totals = overview.portfolio.totals
    return Organisation(
        **_summary(organisation, g.api_role), brand_promise=organisation.brand_promise,
        discount_rate=organisation.discount_rate, current_stage=overview.stage.stage if overview.stage else None,
        target_stage=organisation.target_stage, target_date=organisation.target_date,
        initiatives=Counts(by_status=overview.counts["status"], by_health=overview.counts["health"],
                           by_question=overview.counts["question"]),
        portfolio=PortfolioFigures(
            annual_expected=totals.annual_expected, annual_risk_adjusted=totals.annual_risk_adjusted,
            one_off_cost=totals.one_off_cost, annual_running_cost=totals.annual_running_cost,
            horizon_years=totals.horizon_years, npv=totals.npv, roi=totals.roi,
            payback_months=totals.payback_months),
        needs_attention=list(overview.portfolio.attention_refs))
