"""The money maths of benefits: annual amounts, risk adjustment, ramp-up, NPV, ROI and payback.

Pure functions of Decimals and dates. Intermediate sums keep full precision; each figure handed out is
rounded once, to cents by money.to_cents (ROI to four places), so totals agree with their parts.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from functools import lru_cache
from operator import attrgetter
from statistics import median_low

from cxroadmap.money import ZERO, to_cents

ONE = Decimal(1)
TWELVE = Decimal(12)
PAYBACK_SEARCH_YEARS = 30


@dataclass(frozen=True)
class BenefitStream:
    """One estimate as the maths sees it: full annual amount, confidence, first month, ramp-up."""

    annual_amount: Decimal
    confidence: Decimal
    starts_on: date
    ramp_months: int  # months to full amount after starts_on (0: the full amount at once)

    @property
    def risk_adjusted_amount(self) -> Decimal:
        return self.annual_amount * self.confidence


@dataclass(frozen=True)
class BusinessCase:
    """What an initiative (or a portfolio) is expected to earn or save against what it costs."""

    annual_expected: Decimal
    annual_risk_adjusted: Decimal
    one_off_cost: Decimal
    annual_running_cost: Decimal
    horizon_years: int
    benefit_by_year: tuple[Decimal, ...]  # risk-adjusted, per horizon year
    npv: Decimal
    roi: Decimal | None  # None when nothing is spent
    payback_months: int | None  # None when it does not pay back within PAYBACK_SEARCH_YEARS


def annual_amount_from_drivers(volume: Decimal, rate: Decimal, unit_value: Decimal) -> Decimal:
    """volume × rate × unit value, in cents."""
    return to_cents(volume * rate * unit_value)


def risk_adjusted(annual_amount: Decimal, confidence: Decimal) -> Decimal:
    """The annual amount weighted by the confidence that it will be realised, in cents."""
    return to_cents(annual_amount * confidence)


def month_number(day: date) -> int:
    """Months since year 0, so that month arithmetic is subtraction."""
    return day.year * 12 + day.month - 1


def ramp_share(months_running: int, ramp_months: int) -> Decimal:
    """Share of the full monthly value earned in the n-th month (1-based) of a linear ramp-up."""
    if months_running < 1:
        return ZERO
    if ramp_months <= 0 or months_running >= ramp_months:
        return ONE
    return Decimal(months_running) / Decimal(ramp_months)


def monthly_benefit(stream: BenefitStream, month: int) -> Decimal:
    """The risk-adjusted benefit of stream in the given month number (unrounded)."""
    running = month - month_number(stream.starts_on) + 1
    return stream.risk_adjusted_amount / TWELVE * ramp_share(running, stream.ramp_months)


def benefit_by_year(streams: Sequence[BenefitStream], start: date, years: int) -> list[Decimal]:
    """Risk-adjusted benefit of each of `years` twelve-month periods from start's month (unrounded): each month's
    monthly_benefit, added stream by stream in the same order (a stream's monthly amount and first month worked
    out once, not for each of its months: the same figures, for a third of the time)."""
    first = month_number(start)
    monthly = [(s.risk_adjusted_amount / TWELVE, month_number(s.starts_on), s.ramp_months) for s in streams]
    totals = []
    for year in range(years):
        total = ZERO
        for amount, begins, ramp_months in monthly:
            for month in range(first + 12 * year, first + 12 * (year + 1)):
                total += amount * ramp_share(month - begins + 1, ramp_months)
        totals.append(total)
    return totals


def benefit_by_calendar_year(streams: Iterable[BenefitStream], first_year: int, last_year: int) -> dict[int, Decimal]:
    """Risk-adjusted benefit of each calendar year from first_year to last_year, in cents."""
    streams = list(streams)
    return {year: to_cents(sum((_stream_in_year(s, year) for s in streams), ZERO))
            for year in range(first_year, last_year + 1)}


# The figures are pure functions of frozen values, so each is worked out once per process and then recalled:
# every page, chart and report of a large portfolio asks for the same ones until something changes, and a
# change is a different key.
@lru_cache(maxsize=262144)
def _stream_in_year(stream: BenefitStream, year: int) -> Decimal:
    return sum((monthly_benefit(stream, m) for m in range(year * 12, year * 12 + 12)), ZERO)


def stream_in_year(stream: BenefitStream, year: int) -> Decimal:
    """The stream's risk-adjusted benefit in one calendar year (unrounded: round the total, once)."""
    return _stream_in_year(stream, year)


def npv(discount_rate: Decimal, one_off_cost: Decimal, yearly_net: Sequence[Decimal]) -> Decimal:
    """Net present value: the one-off cost now, each year's net flow discounted at the end of its year."""
    total = -one_off_cost
    factor = ONE
    for flow in yearly_net:
        factor *= ONE + discount_rate
        total += flow / factor
    return to_cents(total)


def roi(total_benefit: Decimal, total_cost: Decimal) -> Decimal | None:
    """(benefit − cost) / cost as a fraction to four places; None when nothing is spent."""
    if total_cost <= 0:
        return None
    return ((total_benefit - total_cost) / total_cost).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def payback_months(streams: Sequence[BenefitStream], start: date, one_off_cost: Decimal,
                   annual_running_cost: Decimal) -> int | None:
    """Months from start until cumulative risk-adjusted benefit less running costs covers the one-off cost.

    The portfolio's rule applied to a portfolio of this one initiative, so that the two can never disagree.
    0 when there is nothing to pay back; None when it is not reached within PAYBACK_SEARCH_YEARS.
    """
    return portfolio_payback([CashPlan(tuple(streams), start, one_off_cost, annual_running_cost)])


def business_case(streams: Sequence[BenefitStream], start: date, one_off_cost: Decimal,
                  annual_running_cost: Decimal, discount_rate: Decimal, horizon_years: int) -> BusinessCase:
    """The whole case of one initiative over the horizon from its start."""
    return _business_case(tuple(streams), start, one_off_cost, annual_running_cost, discount_rate, horizon_years)


@lru_cache(maxsize=65536)
def _business_case(streams: tuple[BenefitStream, ...], start: date, one_off_cost: Decimal,
                   annual_running_cost: Decimal, discount_rate: Decimal, horizon_years: int) -> BusinessCase:
    yearly = benefit_by_year(streams, start, horizon_years)
    total_benefit = sum(yearly, ZERO)
    total_cost = one_off_cost + annual_running_cost * horizon_years
    return BusinessCase(
        annual_expected=to_cents(sum((s.annual_amount for s in streams), ZERO)),
        annual_risk_adjusted=to_cents(sum((s.risk_adjusted_amount for s in streams), ZERO)),
        one_off_cost=to_cents(one_off_cost),
        annual_running_cost=to_cents(annual_running_cost),
        horizon_years=horizon_years,
        benefit_by_year=tuple(to_cents(amount) for amount in yearly),
        npv=npv(discount_rate, one_off_cost, [amount - annual_running_cost for amount in yearly]),
        roi=roi(total_benefit, total_cost),
        payback_months=payback_months(streams, start, one_off_cost, annual_running_cost),
    )


def portfolio_case(cases: Sequence[BusinessCase], horizon_years: int) -> BusinessCase:
    """Several initiatives' cases added up. Their horizons start at different dates, so the whole has no
    year-by-year split; its payback is not a sum of paybacks, so it is left out too. (Added up with map rather
    than generators: a portfolio of ten thousand cases is added up after every change.)"""
    def total(field: str) -> Decimal:
        return sum(map(attrgetter(field), cases), ZERO)

    one_off, running = total("one_off_cost"), total("annual_running_cost")
    total_benefit = sum(map(sum, map(attrgetter("benefit_by_year"), cases)), ZERO)
    return BusinessCase(
        annual_expected=total("annual_expected"),
        annual_risk_adjusted=total("annual_risk_adjusted"),
        one_off_cost=one_off,
        annual_running_cost=running,
        horizon_years=horizon_years,
        benefit_by_year=(),
        npv=total("npv"),
        roi=roi(total_benefit, one_off + running * horizon_years),
        payback_months=None,
    )


@dataclass(frozen=True)
class CashPlan:
    """One initiative as the portfolio's cash flow sees it."""

    streams: tuple[BenefitStream, ...]
    start: date
    one_off_cost: Decimal
    annual_running_cost: Decimal


def portfolio_payback(plans: Sequence[CashPlan]) -> int | None:
    """Months from the median start of the initiatives until cumulative net cash turns positive after the last
    one-off cost (at least one month when anything is spent).

    Each one-off cost falls in its initiative's first month, running costs and benefits monthly from then.
    Counting from the median start rather than the first one keeps a single initiative dated far from the rest
    (a 1999 typo) from swinging the figure; for one initiative it is that initiative's own payback.
    0 when nothing is spent; None when it is not reached within PAYBACK_SEARCH_YEARS of the first start.
    """
    if not plans or all(p.one_off_cost <= 0 and p.annual_running_cost <= 0 for p in plans):
        return 0
    even = break_even_month(plans)
    if even is None:
        return None
    return max(even - median_low(sorted(month_number(p.start) for p in plans)), 1)


def break_even_month(plans: Sequence[CashPlan]) -> int | None:
    """The month number (see month_number) by whose end the cumulative net cash of plans has turned positive
    after the last one-off cost, plus one; None when that is not within PAYBACK_SEARCH_YEARS of the first start."""
    first = min(month_number(p.start) for p in plans)
    last_spend = max([month_number(p.start) for p in plans if p.one_off_cost > 0] or [first])
    steady_from = max([last_spend + 1] + [month_number(p.start) + 1 for p in plans]
                      + [month_number(s.starts_on) + max(s.ramp_months, 1) for p in plans for s in p.streams])
    limit = first + 12 * PAYBACK_SEARCH_YEARS
    balance, month = ZERO, first
    # Month by month while costs fall and benefits still start or ramp up; after that each month nets the same.
    while month < min(steady_from, limit):
        balance += _net_in_month(plans, month)
        month += 1
        if month > last_spend and balance >= 0:
            return month
    if month >= limit:
        return None
    if balance >= 0:
        return month
    steady = _net_in_month(plans, month)
    if steady <= 0:
        return None
    even = month + int((-balance / steady).to_integral_value(rounding=ROUND_CEILING))
    return even if even <= limit else None


def _net_in_month(plans: Sequence[CashPlan], month: int) -> Decimal:
    net = ZERO
    for plan in plans:
        start = month_number(plan.start)
        if month == start:
            net -= plan.one_off_cost
        if month >= start:
            net += sum((monthly_benefit(s, month) for s in plan.streams), ZERO) - plan.annual_running_cost / TWELVE
    return net
