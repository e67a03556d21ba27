"""A KPI reading read honestly (statistics.readings): n, the 95 % interval from the answers or from value and n,
and the verdict on a change. Every figure is worked by hand in the comments (z = 1.959964)."""

from decimal import Decimal as D

from cxroadmap.statistics import readings
from cxroadmap.statistics.intervals import CesTally, CsatTally, NpsTally, ces_tally
from cxroadmap.statistics.readings import read_score, score_verdict, tally_from_value


def test_an_nps_with_its_answers_gets_the_exact_adjusted_wald_interval():
    # 50 promoters, 40 passives, 10 detractors of 100: NPS 40. Adjusted: P = 50.75, D = 10.75, n = 103;
    # p = 0.4927184, d = 0.1043689, p − d = 0.3883495 (centre 38.83), p + d − (p − d)² = 0.5970874 − 0.1508153
    # = 0.4462721; / 103 = 0.004332739; √ = 0.0658235; × 100 × 1.959964 = 12.9012 → 25.93 to 51.74.
    score = read_score("nps", D(40), 100, NpsTally(50, 40, 10))
    assert (score.n, score.low, score.high, score.basis) == (100, D("25.93"), D("51.74"), readings.FROM_ANSWERS)
    assert not score.too_few


def test_an_nps_kept_as_value_and_n_is_read_conservatively_with_no_passives():
    # NPS 40 of 100 answers: promoters = 100 × 140 / 200 = 70, detractors 30, no passives. Adjusted: 70.75 and
    # 30.75 of 103: p + d = 0.9854369, minus (p − d)² 0.1508153 = 0.8346216; / 103 = 0.008103122; √ = 0.0900173;
    # × 195.9964 = 17.6431 around 38.83 → 21.19 to 56.48: wider than the exact ±12.90, never narrower.
    assert tally_from_value("nps", D(40), 100) == NpsTally(70, 0, 30)
    score = read_score("nps", D(40), 100)
    assert (score.low, score.high, score.basis) == (D("21.19"), D("56.48"), readings.CONSERVATIVE)
    exact = read_score("nps", D(40), 100, NpsTally(50, 40, 10))
    assert score.high - score.low > exact.high - exact.low


def test_the_published_nps_example_through_a_reading():
    # DOMAIN.md: n = 1162, 291 promoters, 476 passives, 395 detractors → NPS −8.95, interval [−13.31, −4.55].
    score = read_score("nps", D("-8.95"), 1162, NpsTally(291, 476, 395))
    assert (score.value, score.low, score.high) == (D("-8.95"), D("-13.31"), D("-4.55"))


def test_a_csat_is_exact_from_value_and_n_by_wilson():
    # 45 of 60 satisfied: p = 0.75, z² = 3.841459. Centre (0.75 + 3.841459/120) / (1 + 3.841459/60)
    # = 0.7820122 / 1.0640243 = 0.7349571; margin 1.959964 / 1.0640243 × √(0.1875/60 + 3.841459/14400)
    # = 1.842035 × √0.0033918 = 1.842035 × 0.0582391 = 0.1072783 → 62.77 % to 84.22 %.
    from_answers = read_score("csat", D(75), 60, CsatTally(45, 60))
    from_value = read_score("csat", D(75), 60)
    assert tally_from_value("csat", D(75), 60) == CsatTally(45, 60)
    assert (from_value.low, from_value.high, from_value.basis) == (D("62.77"), D("84.22"), readings.FROM_VALUE)
    assert (from_answers.low, from_answers.high) == (from_value.low, from_value.high)


def test_a_ces_needs_its_answers_for_an_interval():
    kept = read_score("ces", D("5.2"), 100)
    assert (kept.interval, kept.basis, kept.n) == (None, readings.NEEDS_ANSWERS, 100)
    # Answers 4, 5, 6, 5, 5 (×8, 40 answers): mean 5, s = √(16/39) = 0.6405; t(0.975, 39) = 2.0227;
    # 2.0227 × 0.6405 / √40 = 0.2049 → 4.795 to 5.205.
    answered = read_score("ces", D(5), None, ces_tally([4, 5, 6, 5, 5] * 8))
    assert (answered.n, answered.low, answered.high) == (40, D("4.795"), D("5.205"))


def test_a_reading_without_n_has_no_interval_and_no_verdict():
    score = read_score("nps", D(30), None)
    assert (score.interval, score.basis, score.too_few) == (None, readings.NO_COUNT, False)
    assert score_verdict(score, read_score("nps", D(50), 400)) is None


def test_a_change_from_30_to_35_on_40_answers_each_is_no_clear_change():
    # Conservatively 26/14 and 27/13 of 40: SE 100·√((1 − 0.09)/40) = 15.08 and 100·√((1 − 0.1225)/40) = 14.81;
    # √(15.08² + 14.81²) = 21.14; 1.96 × 21.14 = 41.4 ≫ 5: no clear change.
    assert score_verdict(read_score("nps", D(30), 40), read_score("nps", D(35), 40)) == "no_clear_change"
    # The same with passives known (20/12/8 → 20/14/6): SEs 12.2 and 11.3, still ≫ 5 / 1.96.
    assert score_verdict(read_score("nps", D(30), 40, NpsTally(20, 12, 8)),
                         read_score("nps", D(35), 40, NpsTally(20, 14, 6))) == "no_clear_change"


def test_a_large_change_is_a_rise_or_a_fall():
    # 10 → 40 on 400 answers each: 220/180 and 280/120; SE 100·√(0.99/400) = 4.975 and 100·√(0.84/400) = 4.583;
    # √(4.975² + 4.583²) = 6.764; z = 30 / 6.764 = 4.44 > 1.96: a rise (and back again, a fall).
    assert score_verdict(read_score("nps", D(10), 400), read_score("nps", D(40), 400)) == "rise"
    assert score_verdict(read_score("nps", D(40), 400), read_score("nps", D(10), 400)) == "fall"
    # CSAT 45/60 → 57/60: pooled 0.85, SE 100·√(0.85 × 0.15 × 2/60) = 6.52; z = 20 / 6.52 = 3.07: a rise.
    assert score_verdict(read_score("csat", D(75), 60), read_score("csat", D(95), 60)) == "rise"


def test_under_30_answers_is_too_few_to_conclude_whatever_the_difference():
    before, after = read_score("nps", D(20), 25), read_score("nps", D(90), 29)
    assert before.too_few and after.too_few
    assert score_verdict(before, after) == readings.TOO_FEW
    assert score_verdict(read_score("ces", D(4), 12), read_score("ces", D(6), 100)) == readings.TOO_FEW
    assert not read_score("nps", D(20), 30).too_few


def test_a_ces_kept_as_means_is_not_tested_but_with_answers_it_is():
    assert score_verdict(read_score("ces", D("5.2"), 100), read_score("ces", D("5.9"), 100)) is None
    # 40 answers all 4, then 40 all 6: no spread at all, so the difference of 2 is certain.
    assert score_verdict(read_score("ces", D(4), 40, CesTally(40, D(4), D(0))),
                         read_score("ces", D(6), 40, CesTally(40, D(6), D(0)))) == "rise"


def test_the_interval_spanning_a_line():
    score = read_score("nps", D(40), 100)  # 21.19 to 56.48
    assert score.spans(D("56.48")) and score.spans(D(22)) and not score.spans(D("56.49"))
    assert not read_score("ces", D(5), 100).spans(D(5))


def test_other_measures_are_not_tested():
    assert score_verdict(read_score("percentage", D(80), 10), read_score("percentage", D(90), 10)) is None


def test_a_ces_of_one_answer_has_no_interval_and_too_few_answers():
    score = read_score("ces", D(5), None, ces_tally([5]))
    assert (score.n, score.interval, score.basis, score.too_few) == (1, None, readings.FROM_ANSWERS, True)
