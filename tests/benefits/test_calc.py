"""The money maths, against examples worked out by hand."""

from datetime import date
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from cxroadmap.benefits import calc

JAN = date(2026, 1, 1)


def stream(annual, confidence="1", starts_on=JAN, ramp=0):
    return calc.BenefitStream(D(annual), D(confidence), starts_on, ramp)


def test_drivers_multiply_into_an_annual_amount_in_cents():
    assert calc.annual_amount_from_drivers(D("1800"), D("0.01"), D("9500")) == D("171000.00")
    assert calc.annual_amount_from_drivers(D("3"), D("0.333333"), D("10.00")) == D("10.00")  # 9.99999 rounds up
    assert calc.annual_amount_from_drivers(D("42000"), D("0.08"), D("6.50")) == D("21840.00")


def test_risk_adjustment_weights_by_confidence():
    assert calc.risk_adjusted(D("171000.00"), D("0.6")) == D("102600.00")
    assert calc.risk_adjusted(D("0.05"), D("0.5")) == D("0.03")  # half a cent rounds half-up


def test_ramp_up_is_linear_to_the_full_value():
    assert [calc.ramp_share(n, 3) for n in (0, 1, 2, 3, 4)] == [D(0), D(1) / 3, D(2) / 3, D(1), D(1)]
    assert calc.ramp_share(1, 0) == D(1)


def test_a_flat_benefit_case_by_hand():
    # 12,000 a year from the first month; 10,000 up front; 10 % discount rate; 3 years.
    case = calc.business_case([stream("12000")], JAN, D("10000"), D("0"), D("0.10"), 3)
    assert case.benefit_by_year == (D("12000.00"),) * 3
    # -10000 + 12000/1.1 + 12000/1.21 + 12000/1.331 = 19842.2239…
    assert case.npv == D("19842.22")
    assert case.roi == D("2.6000")  # (36000 − 10000) / 10000
    assert case.payback_months == 10  # 1,000 a month pays back 10,000 in month 10
    assert case.annual_expected == case.annual_risk_adjusted == D("12000.00")


def test_a_ramped_risk_adjusted_case_with_running_costs_by_hand():
    # 24,000 at 50 % confidence = 1,000 a month, ramping 1/3, 2/3, full; 5,000 up front, 1,200 a year to run.
    case = calc.business_case([stream("24000", "0.5", ramp=3)], JAN, D("5000"), D("1200"), D("0.08"), 3)
    assert case.annual_expected == D("24000.00")
    assert case.annual_risk_adjusted == D("12000.00")
    assert case.benefit_by_year == (D("11000.00"), D("12000.00"), D("12000.00"))
    # -5000 + 9800/1.08 + 10800/1.1664 + 10800/1.259712 = 21906.72…
    assert case.npv == D("21906.72")
    # benefit 35,000 against cost 5,000 + 3 × 1,200 = 8,600
    assert case.roi == D("3.0698")
    # net 233.33, 566.67, 900 → 1,700 after three months, then 900 a month: 5,000 reached in month 7
    assert case.payback_months == 7


def test_a_benefit_that_starts_mid_year_counts_only_its_months():
    case = calc.business_case([stream("12000", starts_on=date(2026, 7, 1))], JAN, D("0"), D("0"), D("0"), 2)
    assert case.benefit_by_year == (D("6000.00"), D("12000.00"))
    assert case.roi is None  # nothing spent
    assert case.payback_months == 0  # nothing to pay back


def test_payback_beyond_the_search_window_is_none():
    assert calc.payback_months([stream("10")], JAN, D("1000000"), D("0")) is None
    assert calc.payback_months([], JAN, D("1000"), D("0")) is None
    # Running costs eat the whole benefit: it never pays back.
    assert calc.payback_months([stream("1200")], JAN, D("100"), D("1200")) is None


def test_payback_after_a_late_start_and_long_ramp():
    # Starts 6 months in, ramps over 12: months 7-18 earn 1/12 … 12/12 of 100.
    months = calc.payback_months([stream("1200", starts_on=date(2026, 7, 1), ramp=12)], JAN, D("650"), D("0"))
    # cumulative after n ramp months: 100 × n(n+1)/24 → 650 needs n(n+1) ≥ 156 → n = 12 → month 18
    assert months == 18


def test_benefit_by_calendar_year():
    years = calc.benefit_by_calendar_year([stream("12000", starts_on=date(2026, 10, 1))], 2026, 2027)
    assert years == {2026: D("3000.00"), 2027: D("12000.00")}


def test_portfolio_adds_up_its_cases():
    one = calc.business_case([stream("12000")], JAN, D("10000"), D("0"), D("0.10"), 3)
    two = calc.business_case([stream("24000", "0.5", ramp=3)], JAN, D("5000"), D("1200"), D("0.08"), 3)
    total = calc.portfolio_case([one, two], 3)
    assert total.annual_expected == D("36000.00")
    assert total.annual_risk_adjusted == D("24000.00")
    assert total.npv == D("41748.94")
    assert total.one_off_cost == D("15000.00")
    # (36000 + 35000 − 10000 − 8600) / 18600
    assert total.roi == D("2.8172")
    assert calc.portfolio_case([], 3).roi is None


def test_portfolio_payback_by_hand():
    # A: 10,000 now, 1,000 a month from now. B: 6,000 in month 4 (April), 500 a month from then.
    a = calc.CashPlan((stream("12000"),), JAN, D("10000"), D("0"))
    b = calc.CashPlan((stream("6000", starts_on=date(2026, 4, 1)),), date(2026, 4, 1), D("6000"), D("0"))
    # Month by month: Jan −9,000, Feb −8,000, Mar −7,000, Apr −11,500, then +1,500 a month: +500 in Dec (month 12)
    assert calc.portfolio_payback([a, b]) == 12
    assert calc.portfolio_payback([a]) == 10  # the same as the initiative's own payback
    assert calc.portfolio_payback([]) == 0
    never = calc.CashPlan((), JAN, D("100"), D("0"))
    assert calc.portfolio_payback([never]) is None


def test_no_one_off_cost_but_a_running_cost_never_pays_back_without_benefits():
    # Before: the initiative said "0 months" where the portfolio said "never".
    assert calc.payback_months([], JAN, D("0"), D("1200")) is None
    assert calc.payback_months([stream("2400")], JAN, D("0"), D("1200")) == 1  # 200 − 100 in the first month


def test_portfolio_payback_counts_from_the_median_start_so_one_stray_date_cannot_swing_it():
    # Three initiatives of 2026 pay back together; a junk one dated 1999 (small, never earning) joins them.
    a = calc.CashPlan((stream("12000"),), JAN, D("10000"), D("0"))
    b = calc.CashPlan((stream("12000", starts_on=date(2026, 2, 1)),), date(2026, 2, 1), D("10000"), D("0"))
    c = calc.CashPlan((stream("12000", starts_on=date(2026, 3, 1)),), date(2026, 3, 1), D("10000"), D("0"))
    junk = calc.CashPlan((), date(1999, 1, 1), D("500"), D("0"))
    # Alone: Jan −9,000, Feb −17,000, Mar −24,000, then +3,000 a month: ≥ 0 after Nov (month 11); from Feb: 10.
    assert calc.portfolio_payback([a, b, c]) == 10
    # With the junk: 500 more to earn back, so December 2026; the median start moves one place, to January 2026.
    assert calc.portfolio_payback([junk, a, b, c]) == 12
    # Counted from the first start, as before, the junk would have made it 336 months.
    assert calc.break_even_month([junk, a, b, c]) - calc.month_number(date(1999, 1, 1)) == 336


money = st.decimals(min_value=0, max_value=200000, places=2, allow_nan=False, allow_infinity=False)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2032, 12, 1)).map(lambda d: d.replace(day=1))
streams = st.lists(st.builds(calc.BenefitStream, money, st.sampled_from([D("0.25"), D("0.5"), D("1")]), days,
                             st.integers(0, 18)), max_size=3)


@settings(max_examples=300, deadline=None)
@given(streams, days, money, st.decimals(min_value=0, max_value=50000, places=2))
def test_a_portfolio_of_one_has_the_initiatives_own_payback(benefits, start, one_off, running):
    plan = calc.CashPlan(tuple(benefits), start, one_off, running)
    assert calc.portfolio_payback([plan]) == calc.payback_months(benefits, start, one_off, running)
    case = calc.business_case(benefits, start, one_off, running, D("0.08"), 3)
    assert case.payback_months == calc.portfolio_payback([plan])
