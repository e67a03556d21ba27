"""KPI and survey maths, against examples worked out by hand."""

from datetime import date
from decimal import Decimal as D

import pytest

from cxroadmap.measures import calc

JAN_2026, JAN_2027 = date(2026, 1, 1), date(2027, 1, 1)  # 365 days apart


def line(baseline, target, direction="up", start=JAN_2026, end=JAN_2027):
    return calc.Line(D(baseline), start, D(target), end, direction)


def test_achievement_is_the_share_of_the_planned_movement_covered():
    assert calc.achievement(line("40", "50"), D("45")) == D("50.0")
    assert calc.achievement(line("40", "50"), D("52.5")) == D("125.0")  # beyond the target
    assert calc.achievement(line("40", "50"), D("38")) == D("-20.0")  # worse than the baseline
    assert calc.achievement(line("40", "43"), D("41")) == D("33.3")  # 1/3, rounded to one decimal
    assert calc.achievement(line("40", "50"), None) is None
    assert calc.achievement(line("40", "40"), D("41")) is None  # no movement planned


def test_achievement_where_lower_is_better():
    # Delivery time from 5 days to 2: down to 3.5 days is half way, up to 6 is a third backwards.
    assert calc.achievement(line("5", "2", "down"), D("3.5")) == D("50.0")
    assert calc.achievement(line("5", "2", "down"), D("6")) == D("-33.3")


def test_expected_now_follows_the_straight_line():
    # 182 of 365 days: 40 + 10 × 182/365 = 44.9863…
    assert round(calc.expected_now(line("40", "50"), date(2026, 7, 2)), 4) == D("44.9863")
    assert calc.expected_now(line("40", "50"), date(2025, 6, 1)) == D("40")  # before the baseline
    assert calc.expected_now(line("40", "50"), JAN_2026) == D("40")
    assert calc.expected_now(line("5", "2", "down"), date(2026, 7, 2)) == D("5") - D("3") * D(182) / D(365)


def test_a_target_date_in_the_past_expects_the_target_itself():
    old = line("40", "50", start=date(2024, 1, 1), end=date(2025, 1, 1))
    assert calc.expected_now(old, date(2026, 3, 1)) == D("50")
    assert calc.status(old, D("50"), date(2026, 3, 1)) == "on_track"
    assert calc.status(old, D("45"), date(2026, 3, 1)) == "at_risk"  # half the way: at risk, not on track
    assert calc.status(old, D("44.9"), date(2026, 3, 1)) == "off_track"


def test_status_against_the_line_in_the_middle_of_the_year():
    # On 2026-07-02 the line expects 44.986…; half the expected movement is 42.493…
    on = date(2026, 7, 2)
    plan = line("40", "50")
    assert calc.status(plan, D("45"), on) == "on_track"
    assert calc.status(plan, D("44.98"), on) == "at_risk"
    assert calc.status(plan, D("42.5"), on) == "at_risk"
    assert calc.status(plan, D("42.49"), on) == "off_track"
    assert calc.status(plan, D("39"), on) == "off_track"
    assert calc.status(plan, None, on) == "no_data"


def test_status_where_lower_is_better():
    # Complaints from 120 to 60 a month over the year; on 2026-07-02 the line expects 90.08…
    on = date(2026, 7, 2)
    plan = line("120", "60", "down")
    assert round(calc.expected_now(plan, on), 2) == D("90.08")
    assert calc.status(plan, D("90"), on) == "on_track"
    assert calc.status(plan, D("100"), on) == "at_risk"  # 20 of the 29.9 expected
    assert calc.status(plan, D("106"), on) == "off_track"  # 14 of 29.9: less than half
    assert calc.status(plan, D("130"), on) == "off_track"


def test_status_on_the_baseline_day_only_asks_not_to_be_worse():
    plan = line("40", "50")
    assert calc.status(plan, D("40"), JAN_2026) == "on_track"
    assert calc.status(plan, D("39.9"), JAN_2026) == "off_track"


def test_trend_is_the_slope_of_the_last_readings_in_the_kpi_direction():
    assert calc.trend([D("30"), D("35"), D("33"), D("38")], "up") == "improving"
    assert calc.trend([D("30"), D("35"), D("33"), D("38")], "down") == "worsening"
    # Only the last four count: 10, 20, 19, 18, 17 falls over its last four.
    assert calc.trend([D("10"), D("20"), D("19"), D("18"), D("17")], "up") == "worsening"
    assert calc.trend([D("4"), D("5"), D("4")], "up") == "steady"
    assert calc.trend([D("4")], "up") is None
    assert calc.trend([], "down") is None


def test_nps_counts_passives_in_the_total():
    # 5 promoters (9, 10), 3 passives (7, 8), 2 detractors (0–6): (5 − 2) / 10 = 30.0
    answers = [10, 9, 9, 10, 9, 7, 8, 8, 6, 0]
    assert calc.survey_score("nps", answers) == calc.SurveyScore(D("30.0"), 10)
    # 1 promoter, 1 passive, 1 detractor: 0; 2 of 3 detractors: −66.666… → −66.7
    assert calc.nps([9, 7, 6]).value == D("0.0")
    assert calc.nps([3, 6, 10]).value == D("-33.3")
    assert calc.nps([0, 6, 8]).value == D("-66.7")
    assert calc.nps([10] * 7).value == D("100.0")
    assert calc.nps([8] * 4) == calc.SurveyScore(D("0.0"), 4)  # only passives


def test_csat_is_the_share_of_four_and_five():
    # 4, 5, 5 of six answers: 50.0 %; 2 of 3: 66.666… → 66.7
    assert calc.survey_score("csat", [1, 2, 3, 4, 5, 5]) == calc.SurveyScore(D("50.0"), 6)
    assert calc.csat([4, 5, 3]).value == D("66.7")
    assert calc.csat([3, 3]).value == D("0.0")


def test_ces_is_the_mean_to_two_decimals():
    assert calc.survey_score("ces", [7, 6, 5]) == calc.SurveyScore(D("6.00"), 3)
    assert calc.ces([5, 6, 6]).value == D("5.67")  # 17/3 = 5.666…
    assert calc.ces([1, 2]).value == D("1.50")


def test_a_survey_score_needs_answers():
    with pytest.raises(ValueError):
        calc.survey_score("nps", [])


def test_figures_are_written_as_the_reader_writes_numbers():
    from cxroadmap.measures.formatting import format_achievement, format_change, format_value

    assert format_value(D("17"), "nps") == "17.0" and format_value(D("17"), "nps", locale="nl") == "17,0"
    assert format_value(D("80.9"), "csat") == "80.9%"
    assert format_value(D("1234.5"), "days", "days", "nl") == "1.234,5 days"
    assert format_value(D("4.96"), "ces") == "4.96"
    assert format_value(None, "ces") == "—"
    assert format_achievement(D("27.8"), "nl") == "27,8%" and format_achievement(None) == "—"
    assert format_change(D("-0.8"), "days", "days") == "−0.8 days" and format_change(D("6"), "nps") == "+6.0"


def test_survey_interval_from_the_answers_of_a_reading():
    # 12 answers: 5 promoters, 4 passives, 3 detractors: NPS 16.67, SE 100·√((.666667 − .166667²)/12) = 23.07;
    # adjusted: P = 5.75, D = 3.75, n = 15: NPS 13.33, SE' = 100·√((.633333 − .133333²)/15) = 20.2576,
    # margin 1.959964 × 20.2576 = 39.7041: [−26.3708, 53.0374]. Twelve answers are too few to conclude.
    reading = calc.survey_interval("nps", [10, 9, 9, 10, 9, 8, 7, 7, 8, 6, 0, 3])
    assert (reading.value, reading.standard_error, reading.low, reading.high) == (
        D("16.67"), D("23.07"), D("-26.37"), D("53.04"))
    assert reading.n == 12 and reading.too_few
