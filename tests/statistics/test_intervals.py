"""Score intervals against published and hand-worked numbers (the working is in the comments)."""

from decimal import Decimal as D

import pytest

from cxroadmap.statistics import intervals as iv


def test_nps_published_example_standard_error_and_adjusted_wald_interval():
    # DOMAIN.md, "Reading scores honestly" (a published forum example): n = 1162, 291 promoters, 476 passives,
    # 395 detractors: NPS −8.95, standard error 2.24; adjusted-Wald −8.93, interval [−13.31, −4.55].
    reading = iv.nps_interval(iv.NpsTally(promoters=291, passives=476, detractors=395))
    assert reading.value == D("-8.95")
    assert reading.standard_error == D("2.24")
    assert reading.centre == D("-8.93")
    assert (reading.low, reading.high) == (D("-13.31"), D("-4.55"))
    assert reading.n == 1162 and not reading.too_few
    # The plain 95 % margin of the same example is ±4.39: 1.96 × 2.2387.
    assert round(iv.Z95 * iv.nps_standard_error(291, 395, 1162), 2) == 4.39


def test_nps_of_ten_answers_is_too_few_and_its_interval_is_wide():
    # 5 promoters, 3 passives, 2 detractors: NPS 30. Plain SE: p = .5, d = .2, √((.7 − .09)/10) = .24698 → 24.70.
    # Adjusted: P = 5.75, D = 2.75, n = 13: NPS 23.0769; √((.653846 − .230769²)/13) = .214941;
    # margin 1.959964 × 21.4941 = 42.1277: [−19.0508, 65.2046].
    reading = iv.nps_interval(iv.NpsTally(5, 3, 2))
    assert (reading.value, reading.standard_error, reading.centre) == (D("30.00"), D("24.70"), D("23.08"))
    assert (reading.low, reading.high) == (D("-19.05"), D("65.20"))
    assert reading.too_few


def test_nps_of_only_promoters_keeps_an_interval_within_the_scale():
    # 20 promoters: NPS 100, plain SE 0. Adjusted: P = 20.75, D = .75, n = 23: NPS 86.9565;
    # √((.934783 − .869565²)/23) = .088130; margin 17.2731: [69.6834, 104.2296], the top kept at 100.
    reading = iv.nps_interval(iv.NpsTally(20, 0, 0))
    assert (reading.value, reading.standard_error) == (D("100.00"), D("0.00"))
    assert (reading.low, reading.high) == (D("69.68"), D("100.00"))
    detractors_only = iv.nps_interval(iv.NpsTally(0, 0, 20))
    assert (detractors_only.low, detractors_only.high) == (D("-100.00"), D("-69.68"))


def test_too_few_answers_below_thirty():
    assert iv.nps_interval(iv.NpsTally(10, 10, 9)).too_few
    assert not iv.nps_interval(iv.NpsTally(10, 10, 10)).too_few
    assert iv.csat_interval(iv.CsatTally(20, 29)).too_few
    assert not iv.csat_interval(iv.CsatTally(20, 30)).too_few


@pytest.mark.parametrize(("satisfied", "n", "low", "high"), [
    # Newcombe (1998), "Two-sided confidence intervals for the single proportion: comparison of seven methods",
    # Statistics in Medicine 17:857–872, worked examples for the Wilson score interval (method 3).
    (81, 263, "25.53", "36.62"),
    (15, 148, "6.24", "16.05"),
    (0, 20, "0.00", "16.11"),  # z²/(n + z²) = 3.841459/23.841459
    (1, 29, "0.61", "17.18"),
])
def test_csat_wilson_interval_against_newcombe(satisfied, n, low, high):
    reading = iv.csat_interval(iv.CsatTally(satisfied, n))
    assert (reading.low, reading.high) == (D(low), D(high))


def test_csat_of_nobody_or_everybody_satisfied():
    # 0 of 10: [0, z²/(10 + z²)] = [0, 3.841459/13.841459] = [0, 27.75]; 10 of 10 mirrors it: [72.25, 100].
    nobody = iv.csat_interval(iv.CsatTally(0, 10))
    assert (nobody.value, nobody.low, nobody.high, nobody.standard_error) == (D("0.00"), D("0.00"), D("27.75"),
                                                                              D("0.00"))
    everybody = iv.csat_interval(iv.CsatTally(10, 10))
    assert (everybody.value, everybody.low, everybody.high) == (D("100.00"), D("72.25"), D("100.00"))


def test_csat_from_answers_counts_four_and_five():
    tally = iv.tally("csat", [5, 4, 3, 2, 1, 4])
    assert tally == iv.CsatTally(satisfied=3, n=6)
    # 3 of 6: p = .5, SE √(.25/6) = .204124 → 20.41.
    assert iv.interval(tally).standard_error == D("20.41")


@pytest.mark.parametrize(("df", "published"), [
    # Critical values of Student's t, two-sided 95 % (NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.6.7.2).
    (1, "12.706"), (2, "4.303"), (5, "2.571"), (9, "2.262"), (10, "2.228"), (29, "2.045"), (100, "1.984"),
])
def test_t_quantile_against_the_published_table(df, published):
    assert round(iv.t_quantile(0.975, df), 3) == float(published)


def test_ces_t_interval_worked_by_hand():
    # 5 6 7 5 6 4 6 5 7 5: mean 5.6; squared deviations add up to 8.4, s² = 8.4/9, s = .966092;
    # SE = s/√10 = .305505; t(.975, 9) = 2.262157; margin .691100: [4.908900, 6.291100].
    tally = iv.tally("ces", [5, 6, 7, 5, 6, 4, 6, 5, 7, 5])
    assert tally.n == 10 and tally.mean == D("5.6")
    assert round(tally.sd, 6) == D("0.966092")
    reading = iv.interval(tally)
    assert (reading.value, reading.standard_error) == (D("5.600"), D("0.306"))
    assert (reading.low, reading.high) == (D("4.909"), D("6.291"))
    assert reading.too_few


def test_ces_of_identical_answers_has_no_spread_and_an_interval_of_no_width():
    reading = iv.interval(iv.tally("ces", [4] * 12))
    assert (reading.value, reading.low, reading.high, reading.standard_error) == (D("4.000"),) * 3 + (D("0.000"),)
    assert reading.too_few


def test_ces_interval_stays_on_the_scale():
    # 7 7 7 6: mean 6.75, s = √(.75/3) = .5, SE .25, t(.975, 3) = 3.182446: [5.954388, 7.545612] → top kept at 7.
    reading = iv.interval(iv.tally("ces", [7, 7, 7, 6]))
    assert (reading.low, reading.high) == (D("5.954"), D("7.000"))


def test_ces_of_one_answer_has_no_interval():
    reading = iv.interval(iv.tally("ces", [3]))
    assert (reading.value, reading.low, reading.high, reading.standard_error) == (D("3.000"), None, None, None)
    assert reading.too_few


def test_nps_tally_from_answers():
    assert iv.tally("nps", [10, 9, 8, 7, 6, 0, 9]) == iv.NpsTally(promoters=3, passives=2, detractors=2)


@pytest.mark.parametrize(("measure", "scores"), [
    ("nps", [11]), ("nps", [-1]), ("csat", [0]), ("ces", [8]), ("ces", [4.5]), ("nps", [True]),
])
def test_answers_off_the_scale_are_refused(measure, scores):
    with pytest.raises(ValueError, match="whole number"):
        iv.tally(measure, scores)


def test_no_answers_no_interval():
    for tally in (iv.NpsTally(0, 0, 0), iv.CsatTally(0, 0), iv.tally("ces", [])):
        with pytest.raises(ValueError, match="at least one answer"):
            iv.interval(tally)
    with pytest.raises(ValueError):
        iv.csat_interval(iv.CsatTally(11, 10))


def test_an_interval_spans_a_line_it_cannot_tell_apart():
    # The published example's interval [−13.31, −4.55]: a KPI line at −10 lies inside it, one at −4 does not.
    reading = iv.nps_interval(iv.NpsTally(291, 476, 395))
    assert reading.spans(D("-10")) and reading.spans(D("-4.55"))
    assert not reading.spans(D("-4")) and not reading.spans(D("-13.32"))
    assert not iv.interval(iv.tally("ces", [5])).spans(D("5"))


def test_rule_of_thumb_a_third_each_is_about_320_over_root_n_wide():
    # DOMAIN.md: with a third each the full interval is about 320/√n wide, ±16 at n = 100.
    # 33/34/33: adjusted P = D = 33.75 of 103, shares .327670 each; SE 100·√(.655340/103) = 7.97652;
    # margin 1.959964 × 7.97652 = 15.6337: [−15.63, 15.63], 31.27 wide.
    reading = iv.nps_interval(iv.NpsTally(33, 34, 33))
    assert (reading.low, reading.high) == (D("-15.63"), D("15.63"))
