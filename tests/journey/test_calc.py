"""The gap maths, against numbers worked out by hand."""

from datetime import date
from decimal import Decimal as D

from cxroadmap.journey import calc
from cxroadmap.journey.calc import Score


def test_gap_is_perception_minus_expectation():
    # Expected 6.2, found 4.8: 4.8 − 6.2 = −1.4, a shortfall.
    assert calc.gap(D("6.20"), D("4.80")) == D("-1.40")
    assert calc.gap(D("4.00"), D("5.50")) == D("1.50")
    assert Score(date(2026, 1, 5), D("5.00"), D("5.00")).gap == D("0.00")


def test_the_latest_score_counts_and_a_later_entry_wins_a_tie():
    march = Score(date(2026, 3, 1), D("6"), D("4"))
    january = Score(date(2026, 1, 1), D("6"), D("5"))
    march_again = Score(date(2026, 3, 1), D("6"), D("6"))
    assert calc.latest([march, january]) is march
    assert calc.latest([march, january, march_again]) is march_again
    assert calc.latest([]) is None


def test_pooled_gap_weights_each_score_by_its_respondents():
    # Gaps −2 (30 people) and +1 (10 people): (−60 + 10) / 40 = −1.25.
    scores = [Score(date(2026, 1, 1), D("6"), D("4"), 30), Score(date(2026, 1, 1), D("4"), D("5"), 10)]
    assert calc.pooled_gap(scores) == D("-1.25")
    # Gaps −1 (1), −1 (1), 0 (1): −2/3 = −0.666… → −0.67 (half away from zero).
    thirds = [Score(date(2026, 1, 1), D("5"), D("4")), Score(date(2026, 1, 1), D("5"), D("4")),
              Score(date(2026, 1, 1), D("5"), D("5"))]
    assert calc.pooled_gap(thirds) == D("-0.67")
    assert calc.pooled_gap([]) is None


def test_bands_of_the_diverging_scale_at_and_around_their_edges():
    assert calc.band(D("-2.30")) == "far_below"
    assert calc.band(D("-1.50")) == "far_below"
    assert calc.band(D("-1.49")) == "below"
    assert calc.band(D("-0.50")) == "below"
    assert calc.band(D("-0.49")) == "met"
    assert calc.band(D("0.00")) == "met"
    assert calc.band(D("0.49")) == "met"
    assert calc.band(D("0.50")) == "above"
    assert calc.band(D("1.49")) == "above"
    assert calc.band(D("1.50")) == "far_above"
    assert calc.band(None) is None


def test_a_score_older_than_180_days_is_stale_and_no_score_is_stale():
    on = date(2026, 11, 23)
    assert not calc.is_stale(date(2026, 5, 27), on)  # 180 days before
    assert calc.is_stale(date(2026, 5, 26), on)  # 181 days before
    assert calc.is_stale(None, on)
    assert not calc.is_stale(on, on)


def test_scale_accepts_one_to_seven_with_two_places():
    assert calc.on_scale(D("1")) and calc.on_scale(D("7.00")) and calc.on_scale(D("4.35"))
    assert not calc.on_scale(D("0.99"))
    assert not calc.on_scale(D("7.01"))
    assert not calc.on_scale(D("4.355"))
    assert not calc.on_scale(D("NaN"))


def test_share_and_change():
    assert calc.share(3, 8) == D("0.3750")
    assert calc.share(2, 3) == D("0.6667")
    assert calc.share(0, 0) is None
    earlier = Score(date(2026, 1, 1), D("6"), D("4"))  # −2
    later = Score(date(2026, 6, 1), D("6"), D("5.5"))  # −0.5
    assert calc.change([later, earlier]) == D("1.5")  # closing by one and a half points
    assert calc.change([later]) is None


def test_widest_gap_first_and_unscored_last():
    items = [("a", D("0.5")), ("b", None), ("c", D("-2")), ("d", D("-0.3")), ("e", None)]
    assert [name for name, _gap in calc.widest_first(items)] == ["c", "d", "a", "b", "e"]
