"""Benefit estimates: recording them, and the business case of an initiative and of the portfolio."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from babel.numbers import format_decimal
from sqlalchemy import Row, Select, select

from cxroadmap.benefits import calc
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.models import BenefitActual, BenefitEstimate
from cxroadmap.database import as_stored
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, format_day
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import MAX_MONEY, all_initiatives
from cxroadmap.money import format_money
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import found_or_refuse
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_text, tidy

DRIVERS = ("volume", "rate", "unit_value")
MAX_VOLUME = Decimal("999999999999")
MAX_RAMP_MONTHS = 120


def _within(problems: Problems, field: str, value, low: Decimal, high: Decimal, message: str) -> None:
    problems.require(isinstance(value, Decimal) and low <= value <= high, field, message)


def as_kept(values: dict) -> dict:
    """An estimate's values with its decimals rounded to the places they are kept with."""
    columns = BenefitEstimate.__table__.c  # the columns themselves: an ORM attribute looks its type up slowly
    return {**values, **{name: as_stored(columns[name], values[name])
                         for name in ("volume", "rate", "unit_value", "annual_amount", "confidence")}}


def check_benefit(values: dict) -> Problems:
    """The problems with an estimate's values as they will be kept; with drivers, annual_amount must be their
    product or None."""
    values = as_kept(values)
    problems = Problems()
    problems.require(values["kind"] in BENEFIT_KINDS, "kind", BENEFIT_KINDS.describe())
    check_text(problems, "description", values["description"], 2000)
    given = [name for name in DRIVERS if values[name] is not None]
    if given:
        for name in DRIVERS:
            problems.require(values[name] is not None, name,
                             _("Give all three drivers (volume, rate and unit value), or none."))
        _within(problems, "volume", values["volume"], Decimal(0), MAX_VOLUME,
                _("Volume is a number from 0 up to 999,999,999,999."))
        _within(problems, "rate", values["rate"], Decimal(0), Decimal(1),
                _("Rate is a share from 0 to 1 (0.05 or 5%)."))
        _within(problems, "unit_value", values["unit_value"], Decimal(0), MAX_MONEY,
                _("Unit value is an amount from 0 up to 999,999,999,999.99."))
        if len(given) == 3 and not problems:
            product = calc.annual_amount_from_drivers(values["volume"], values["rate"], values["unit_value"])
            problems.require(product <= MAX_MONEY, "volume", _("Together the drivers give too large an amount."))
            stated = values["annual_amount"]
            problems.require(stated is None or stated == product, "annual_amount",
                             _("Does not match volume × rate × unit value (%(product)s); leave it empty.",
                               product=product))
    else:
        problems.require(values["annual_amount"] is not None, "annual_amount",
                         _("Give an annual amount, or the three drivers it follows from."))
        if values["annual_amount"] is not None:
            _within(problems, "annual_amount", values["annual_amount"], Decimal(0), MAX_MONEY,
                    _("An annual amount is from 0 up to 999,999,999,999.99."))
    _within(problems, "confidence", values["confidence"], Decimal(0), Decimal(1),
            _("Confidence is a share from 0 to 1 (0.7 or 70%)."))
    check_date(problems, "starts_on", values["starts_on"])
    ramp = values["ramp_months"]
    problems.require(isinstance(ramp, int) and not isinstance(ramp, bool) and 0 <= ramp <= MAX_RAMP_MONTHS,
                     "ramp_months", _("Ramp-up is a whole number of months from 0 to %(most)s.", most=MAX_RAMP_MONTHS))
    return problems


def _as_given(kind, description, volume, rate, unit_value, annual_amount, confidence, starts_on,
              ramp_months) -> dict:
    values = {"kind": kind, "description": tidy(description), "volume": volume, "rate": rate,
              "unit_value": unit_value, "annual_amount": annual_amount,
              "confidence": Decimal(1) if confidence is None else confidence,
              "starts_on": starts_on, "ramp_months": 0 if ramp_months is None else ramp_months}
    return as_kept(values)


def benefit_problems(fields: dict) -> Problems:
    """What would be refused in an estimate's fields, checked without the database (for a form to show all at
    once)."""
    return check_benefit(_as_given(**fields))


def _benefit_values(kind, description, volume, rate, unit_value, annual_amount, confidence, starts_on,
                    ramp_months) -> dict:
    values = _as_given(kind, description, volume, rate, unit_value, annual_amount, confidence, starts_on,
                       ramp_months)
    check_benefit(values).raise_if_any()
    if values["volume"] is not None:
        values["annual_amount"] = calc.annual_amount_from_drivers(values["volume"], values["rate"],
                                                                  values["unit_value"])
    return values


def add_benefit(initiative: Initiative, *, kind: str, description: str = "", volume: Decimal | None = None,
                rate: Decimal | None = None, unit_value: Decimal | None = None,
                annual_amount: Decimal | None = None, confidence: Decimal | None = None,
                starts_on: date | None = None, ramp_months: int | None = None) -> BenefitEstimate:
    """A new estimate of what initiative earns or saves a year; drivers, when given, fix the amount."""
    values = _benefit_values(kind, description, volume, rate, unit_value, annual_amount, confidence,
                             starts_on, ramp_months)
    benefit = BenefitEstimate(initiative=initiative, **values)
    db.session.add(benefit)
    db.session.flush()
    return benefit


def update_benefit(benefit: BenefitEstimate, *, kind: str, description: str, volume: Decimal | None,
                   rate: Decimal | None, unit_value: Decimal | None, annual_amount: Decimal | None,
                   confidence: Decimal | None, starts_on: date | None, ramp_months: int | None,
                   expected_version: int | None = None) -> BenefitEstimate:
    benefit.check_version(expected_version, _("this estimate"))
    values = _benefit_values(kind, description, volume, rate, unit_value, annual_amount, confidence,
                             starts_on, ramp_months)
    for name, value in values.items():
        setattr(benefit, name, value)
    db.session.flush()
    return benefit


def benefit_of(initiative: Initiative, benefit_id: int) -> BenefitEstimate:
    """The initiative's benefit estimate with this id; NotInOrganisation for any other."""
    query = select(BenefitEstimate).where(BenefitEstimate.id == benefit_id,
                                          BenefitEstimate.initiative_id == initiative.id)
    return found_or_refuse(db.session.scalar(query), BenefitEstimate)


def delete_benefit(benefit: BenefitEstimate) -> None:
    db.session.delete(benefit)
    db.session.flush()


def benefits_by_initiative(initiatives: list[Initiative]) -> dict[int, list[BenefitEstimate]]:
    """The estimates of each initiative, in the order they were made (one query for all)."""
    grouped = defaultdict(list)
    ids = [initiative.id for initiative in initiatives]
    if ids:
        query = select(BenefitEstimate).where(BenefitEstimate.initiative_id.in_(ids)).order_by(
            BenefitEstimate.id)
        for benefit in db.session.scalars(query):
            grouped[benefit.initiative_id].append(benefit)
    return grouped


# What a spreadsheet prints of an estimate, and its initiative's case reads (see streams_of).
_PRINTED = (BenefitEstimate.initiative_id, BenefitEstimate.kind, BenefitEstimate.description, BenefitEstimate.volume,
            BenefitEstimate.rate, BenefitEstimate.unit_value, BenefitEstimate.annual_amount, BenefitEstimate.confidence,
            BenefitEstimate.starts_on, BenefitEstimate.ramp_months)


def estimate_rows_by_initiative(initiative_ids: Select) -> dict[int, list[Row]]:
    """The estimates of the initiatives whose ids the select gives, in the order they were made, each as the row of
    the columns a spreadsheet prints rather than as a whole object (a fifth of the time for tens of thousands):
    for reading and printing, not for changing. One query, whatever the number of initiatives."""
    grouped = defaultdict(list)
    query = (select(*_PRINTED).where(BenefitEstimate.initiative_id.in_(initiative_ids))
             .order_by(BenefitEstimate.id))
    for row in db.session.execute(query):
        grouped[row.initiative_id].append(row)
    return grouped


def case_start(initiative: Initiative, on: date) -> date:
    """Where an initiative's horizon begins: its start date, or `on` when it has none."""
    return initiative.start_date or on


def streams_of(benefits: list[BenefitEstimate], start: date) -> list[calc.BenefitStream]:
    return [calc.BenefitStream(annual_amount=b.annual_amount, confidence=b.confidence,
                               starts_on=b.starts_on or start, ramp_months=b.ramp_months)
            for b in benefits]


def initiative_case(organisation: Organisation, initiative: Initiative, benefits: list[BenefitEstimate],
                    horizon_years: int, on: date) -> calc.BusinessCase:
    """The initiative's business case over the horizon, at the organisation's discount rate."""
    start = case_start(initiative, on)
    return calc.business_case(streams_of(benefits, start), start, initiative.one_off_cost,
                              initiative.annual_running_cost, organisation.discount_rate, horizon_years)


@dataclass(frozen=True)
class Portfolio:
    """Every initiative that is not archived, with its estimates and case; totals of the live ones.

    Live means not cancelled: only live initiatives count in the totals, the kinds, the streams and the plans.
    """

    all_rows: list[tuple[Initiative, list[BenefitEstimate], calc.BusinessCase]]  # in reference order
    totals: calc.BusinessCase
    by_kind: dict[str, Decimal]  # risk-adjusted annual amount per kind of benefit
    streams: list[calc.BenefitStream]  # every live estimate as the money maths sees it
    plans: list[calc.CashPlan]  # every live initiative as the portfolio's cash flow sees it

    @property
    def rows(self) -> list[tuple[Initiative, list[BenefitEstimate], calc.BusinessCase]]:
        return [row for row in self.all_rows if row[0].status != "cancelled"]


def portfolio(organisation: Organisation, horizon_years: int, on: date) -> Portfolio:
    """The business case of every initiative that is not archived, and of the live ones together (two queries)."""
    initiatives = all_initiatives(organisation, include_archived=False)
    return _portfolio(organisation, initiatives, benefits_by_initiative(initiatives), horizon_years, on)


# What the money maths reads of an estimate: the portfolio's figures need only these, not whole estimates.
_FIGURES = (BenefitEstimate.initiative_id, BenefitEstimate.kind, BenefitEstimate.annual_amount,
            BenefitEstimate.confidence, BenefitEstimate.starts_on, BenefitEstimate.ramp_months)


def portfolio_figures(organisation: Organisation, horizon_years: int, on: date) -> Portfolio:
    """What portfolio() says, with each estimate read as the columns its figures need rather than as a whole
    object (far quicker for thousands): for totals, kinds, streams and plans, not for printing estimates."""
    initiatives = all_initiatives(organisation, include_archived=False)
    grouped = defaultdict(list)
    query = (select(*_FIGURES).join(Initiative, Initiative.id == BenefitEstimate.initiative_id)
             .where(Initiative.organisation_id == organisation.id, Initiative.archived.is_(False))
             .order_by(BenefitEstimate.id))
    for row in db.session.execute(query):
        grouped[row.initiative_id].append(row)
    return _portfolio(organisation, initiatives, grouped, horizon_years, on)


def _portfolio(organisation: Organisation, initiatives: list[Initiative], grouped, horizon_years: int,
               on: date) -> Portfolio:
    all_rows = [(i, grouped[i.id], initiative_case(organisation, i, grouped[i.id], horizon_years, on))
                for i in initiatives]
    by_kind = dict.fromkeys(BENEFIT_KINDS.keys, Decimal("0.00"))
    streams, plans = [], []
    for initiative, benefits, _case in all_rows:
        if initiative.status == "cancelled":
            continue
        start = case_start(initiative, on)
        own = streams_of(benefits, start)
        streams += own
        plans.append(calc.CashPlan(tuple(own), start, initiative.one_off_cost, initiative.annual_running_cost))
        for benefit in benefits:
            by_kind[benefit.kind] += calc.risk_adjusted(benefit.annual_amount, benefit.confidence)
    live = [row[2] for row in all_rows if row[0].status != "cancelled"]
    return Portfolio(all_rows=all_rows, totals=calc.portfolio_case(live, horizon_years), by_kind=by_kind,
                     streams=streams, plans=plans)


def describe_drivers(benefit: BenefitEstimate, currency: str, locale: str = "en") -> str:
    """'1,200 × 2% × €4,500.00' (or '1.200 × 2% × € 4.500,00' in Dutch) for an estimate with drivers; '' for a
    direct amount."""
    if not benefit.has_drivers:
        return ""
    volume = format_decimal(benefit.volume.normalize(), format="#,##0.###", locale=locale)
    rate = format_decimal((benefit.rate * 100).normalize(), format="#,##0.###", locale=locale) + "%"
    return f"{volume} × {rate} × {format_money(benefit.unit_value, currency, locale, whole=False)}"


# -- realised benefits ---------------------------------------------------------------------------------

def check_actual(month: date | None, amount: Decimal | None, note: str) -> None:
    """Refuse a realised amount that is not one: no month, a month beyond next, or an impossible amount."""
    problems = Problems()
    amount = as_stored(BenefitActual.__table__.c.amount, amount)
    check_date(problems, "month", month, required=True, not_after=today() + timedelta(days=31))
    problems.require(isinstance(amount, Decimal) and 0 <= amount <= MAX_MONEY, "amount",
                     _("An amount is from 0 up to 999,999,999,999.99."))
    check_text(problems, "note", tidy(note), 2000)
    problems.raise_if_any()


def record_actual(benefit: BenefitEstimate, month: date, amount: Decimal | None, note: str = "") -> BenefitActual:
    """Record what the estimate realised in a month (replacing what was recorded for that month)."""
    check_actual(month, amount, note)
    start = benefit.initiative.start_date
    if start is not None and month.replace(day=1) < start.replace(day=1):
        raise DomainError({"month": _("%(ref)s starts %(date)s: nothing can be realised before that.",
                                      ref=benefit.initiative.ref, date=format_day(start))})
    first = month.replace(day=1)
    actual = db.session.scalar(select(BenefitActual).where(BenefitActual.benefit_id == benefit.id,
                                                           BenefitActual.month == first))
    if actual is None:
        actual = BenefitActual(benefit=benefit, month=first)
        db.session.add(actual)
    actual.amount, actual.note = amount, tidy(note)
    db.session.flush()
    return actual


def actuals_of(benefits: list[BenefitEstimate]) -> dict[int, list[BenefitActual]]:
    """Each estimate's realised amounts by month (one query)."""
    grouped: dict[int, list[BenefitActual]] = {b.id: [] for b in benefits}
    if benefits:
        query = select(BenefitActual).where(BenefitActual.benefit_id.in_(list(grouped))).order_by(
            BenefitActual.month)
        for actual in db.session.scalars(query):
            grouped[actual.benefit_id].append(actual)
    return grouped


def realised_by_year(organisation: Organisation) -> dict[int, Decimal]:
    """Realised benefit of the organisation's live initiatives per calendar year (one query)."""
    query = (BenefitActual.scoped_to(organisation).where(Initiative.archived.is_(False))
             .with_only_columns(BenefitActual.month, BenefitActual.amount))
    totals: dict[int, Decimal] = {}
    for month, amount in db.session.execute(query):
        totals[month.year] = totals.get(month.year, Decimal("0.00")) + amount
    return totals


def estimated_vs_realised(organisation: Organisation, years: list[int], on: date) -> list[tuple[int, Decimal, Decimal]]:
    """(year, estimated risk-adjusted, realised) for each year, over live initiatives."""
    streams = portfolio(organisation, 1, on).streams
    estimated = calc.benefit_by_calendar_year(streams, years[0], years[-1]) if years else {}
    realised = realised_by_year(organisation)
    return [(year, estimated.get(year, Decimal("0.00")), realised.get(year, Decimal("0.00"))) for year in years]


YearFigures = list[tuple[int, Decimal, Decimal]]


def initiative_estimated_vs_realised(initiative: Initiative, estimates: list[BenefitEstimate],
                                     actuals: dict[int, list[BenefitActual]], on: date,
                                     horizon_years: int = 3) -> YearFigures:
    """(year, estimated risk-adjusted, realised) for the initiative, every year from its start (or its first
    actual, if earlier) to the end of its horizon, this year or its last actual, whichever comes last."""
    start = case_start(initiative, on)
    recorded = [a for items in actuals.values() for a in items]
    first = min([start.year] + [a.month.year for a in recorded])
    horizon_end = date(start.year + horizon_years, start.month, 1) - timedelta(days=1)
    last = max([on.year, horizon_end.year] + [a.month.year for a in recorded])
    estimated = calc.benefit_by_calendar_year(streams_of(estimates, start), first, last)
    realised: dict[int, Decimal] = {}
    for actual in recorded:
        realised[actual.month.year] = realised.get(actual.month.year, Decimal("0.00")) + actual.amount
    return [(year, estimated[year], realised.get(year, Decimal("0.00"))) for year in range(first, last + 1)]
