"""Changes between two periods against hand-worked numbers (the working is in the comments)."""

from decimal import Decimal as D

import pytest

from cxroadmap.statistics import changes
from cxroadmap.statistics import intervals as iv


def test_nps_rise_from_10_to_30_is_real():
    # Before: 80 P, 60 passives, 60 D of 200: NPS 10, SE = 100·√((.7 − .1²)/200) = 5.8737.
    # After: 125 P, 75 passives, 50 D of 250: NPS 30, SE = 100·√((.7 − .3²)/250) = 4.9396.
    # Difference 20, SE √(5.8737² + 4.9396²) = 7.6746, z = 2.6060 > 1.96; p = 2(1 − Φ(2.606)) = .0092.
    change = changes.change(iv.NpsTally(80, 60, 60), iv.NpsTally(125, 75, 50))
    assert (change.difference, change.standard_error) == (D("20.00"), D("7.67"))
    assert change.statistic == D("2.606")
    assert change.p_value == D("0.0092")
    assert change.verdict == "rise" and not change.too_few


def test_nps_from_30_to_35_on_40_answers_is_no_clear_change():
    # Issue 24's example. Before: 18 P, 16 passives, 6 D: NPS 30, SE 100·√((.6 − .3²)/40) = 11.2916.
    # After: 20 P, 14 passives, 6 D: NPS 35, SE 100·√((.65 − .35²)/40) = 11.4837.
    # Difference 5, SE 16.1054, z = .3105: p = .7562.
    change = changes.nps_change(iv.NpsTally(18, 16, 6), iv.NpsTally(20, 14, 6))
    assert (change.difference, change.standard_error, change.p_value) == (D("5.00"), D("16.11"), D("0.7562"))
    assert change.verdict == "no_clear_change"


def test_nps_fall_in_the_other_direction():
    change = changes.change(iv.NpsTally(125, 75, 50), iv.NpsTally(80, 60, 60))
    assert (change.difference, change.statistic, change.verdict) == (D("-20.00"), D("-2.606"), "fall")


def test_a_significant_difference_on_too_few_answers_concludes_nothing():
    # 20 promoters against 20 detractors: the test says certain (both SEs are 0), but 20 < 30 answers.
    change = changes.nps_change(iv.NpsTally(20, 0, 0), iv.NpsTally(0, 0, 20))
    assert change.difference == D("-200.00") and change.p_value == D("0")
    assert change.too_few and change.verdict == "no_clear_change"
    # With 30 answers in each period the same certainty is a fall.
    assert changes.nps_change(iv.NpsTally(30, 0, 0), iv.NpsTally(0, 0, 30)).verdict == "fall"


def test_csat_two_proportions_significant():
    # 120 of 200 (60 %) to 180 of 240 (75 %): pooled 300/440 = .681818;
    # SE = √(.681818 × .318182 × (1/200 + 1/240)) = .044594 → 4.46 points; z = 15/4.4594 = 3.3637; p = .0008.
    change = changes.change(iv.CsatTally(120, 200), iv.CsatTally(180, 240))
    assert (change.difference, change.standard_error, change.statistic) == (D("15.00"), D("4.46"), D("3.364"))
    assert change.p_value == D("0.0008") and change.verdict == "rise"


def test_csat_two_proportions_not_significant():
    # 150 of 200 (75 %) to 180 of 220 (81.82 %): pooled 330/420 = .785714;
    # SE = √(.785714 × .214286 × (1/200 + 1/220)) = .040089; z = 6.8182/4.0089 = 1.7008; p = .0890.
    change = changes.csat_change(iv.CsatTally(150, 200), iv.CsatTally(180, 220))
    assert (change.difference, change.statistic, change.p_value) == (D("6.82"), D("1.701"), D("0.0890"))
    assert change.verdict == "no_clear_change"


def test_csat_proportions_of_zero_and_one():
    # Nobody satisfied in either period: pooled share 0, no standard error, no difference.
    same = changes.csat_change(iv.CsatTally(0, 40), iv.CsatTally(0, 50))
    assert (same.difference, same.standard_error, same.verdict) == (D("0.00"), D("0.00"), "no_clear_change")
    assert same.p_value == D("1")
    # Everybody, then nobody: pooled .5, SE = √(.25 × (1/40 + 1/40)) = .111803; z = −100/11.1803 = −8.944.
    fall = changes.csat_change(iv.CsatTally(40, 40), iv.CsatTally(0, 40))
    assert (fall.difference, fall.standard_error, fall.statistic) == (D("-100.00"), D("11.18"), D("-8.944"))
    assert fall.verdict == "fall"


def test_ces_welch_t_worked_by_hand():
    # Before n 30, mean 5.0, s 1.2; after n 40, mean 5.6, s 0.9. s²/n: .048 and .02025; SE √.06825 = .261247;
    # t = .6/.261247 = 2.2967; Welch–Satterthwaite df = .06825²/(.048²/29 + .02025²/39) = 51.78.
    # The published table puts t(.975, 50) at 2.009 and t(.99, 50) at 2.403: p between .02 and .05.
    change = changes.change(iv.CesTally(30, D("5.0"), D("1.2")), iv.CesTally(40, D("5.6"), D("0.9")))
    assert (change.difference, change.standard_error, change.statistic) == (D("0.600"), D("0.261"), D("2.297"))
    assert change.degrees_of_freedom == D("51.78")
    assert D("0.02") < change.p_value < D("0.05")
    assert change.verdict == "rise"


def test_ces_welch_agrees_with_scipy_on_the_same_summaries():
    # An independent implementation of the same test: scipy's ttest_ind_from_stats.
    from scipy.stats import ttest_ind_from_stats

    expected = ttest_ind_from_stats(5.6, 0.9, 40, 5.0, 1.2, 30, equal_var=False)
    change = changes.ces_change(iv.CesTally(30, D("5.0"), D("1.2")), iv.CesTally(40, D("5.6"), D("0.9")))
    assert change.p_value == D(repr(float(expected.pvalue))).quantize(D("0.0001"))


def test_ces_of_identical_answers_in_both_periods():
    # No spread anywhere: the same answers are no change, different answers are a certain one.
    same = changes.change(iv.tally("ces", [5] * 30), iv.tally("ces", [5] * 30))
    assert (same.difference, same.verdict, same.p_value) == (D("0.000"), "no_clear_change", D("1"))
    rise = changes.change(iv.tally("ces", [5] * 30), iv.tally("ces", [6] * 30))
    assert (rise.difference, rise.verdict, rise.p_value, rise.statistic) == (D("1.000"), "rise", D("0"), None)


def test_ces_of_a_single_answer_cannot_be_tested():
    change = changes.change(iv.tally("ces", [2]), iv.tally("ces", [7] * 40))
    assert (change.p_value, change.statistic, change.verdict) == (None, None, "no_clear_change")
    assert change.difference == D("5.000") and change.too_few


def test_periods_must_be_of_one_measure_and_have_answers():
    with pytest.raises(ValueError, match="same measure"):
        changes.change(iv.NpsTally(1, 1, 1), iv.CsatTally(1, 3))
    with pytest.raises(ValueError, match="at least one answer"):
        changes.change(iv.NpsTally(0, 0, 0), iv.NpsTally(1, 1, 1))
