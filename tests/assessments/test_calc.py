"""The results maths, worked out by hand."""

from decimal import Decimal

import pytest

from cxroadmap.assessments.calc import by_function, median, suggested_stage, summarise

STAGES = [1, 2, 3, 4, 5, 6]
SCORES = [0, 1, 2, 3, 4]


def test_an_odd_number_of_answers_has_its_middle_one_as_median():
    # 2, 3, 3, 5, 6 sorted: the third is 3; lowest 2, highest 6: four stages apart.
    summary = summarise([5, 3, 2, 6, 3], STAGES)
    assert summary.median == Decimal(3)
    assert (summary.low, summary.high, summary.spread, summary.n) == (2, 6, 4, 5)
    assert summary.disagreement
    assert summary.distribution == (0, 1, 2, 0, 1, 1)


def test_an_even_number_of_raters_takes_half_way_between_the_middle_two_and_suggests_the_lower():
    # 2, 3, 4, 4: the middle two are 3 and 4, so the median is 3.5; rounded down, stage 3.
    summary = summarise([4, 2, 4, 3], STAGES)
    assert summary.median == Decimal("3.5")
    assert summary.suggested == 3
    assert summary.spread == 2 and summary.disagreement


def test_dont_know_is_neither_an_answer_nor_a_vote():
    # Two "don't know" among 1, 1, 2: the median of 1, 1, 2 is 1; three answers, two unknowns.
    summary = summarise([None, 1, 2, None, 1], SCORES)
    assert (summary.n, summary.dont_know, summary.median) == (3, 2, Decimal(1))
    assert summary.distribution == (0, 2, 1, 0, 0)
    assert not summary.disagreement  # 1 to 2 is one point


def test_only_dont_know_gives_no_figures():
    summary = summarise([None, None], STAGES)
    assert (summary.n, summary.median, summary.spread, summary.suggested) == (0, None, None, None)
    assert not summary.disagreement


def test_all_agreeing_is_no_disagreement():
    summary = summarise([4, 4, 4, 4], STAGES)
    assert (summary.median, summary.spread, summary.disagreement) == (Decimal(4), 0, False)


def test_a_spread_of_exactly_two_stages_is_disagreement_and_one_is_not():
    assert summarise([3, 5, 4], STAGES).disagreement
    assert not summarise([3, 4, 4, 3], STAGES).disagreement
    assert summarise([0, 2], SCORES).disagreement


def test_an_answer_outside_the_scale_is_refused():
    with pytest.raises(ValueError):
        summarise([7], STAGES)


def test_the_suggested_stage_is_the_median_of_every_dimension_answer_together_rounded_down():
    # Pooled: 2,3 | 3,4 | 4,4 | 2 (and one don't know) -> 2,2,3,3,4,4,4: seven values, the fourth is 3.
    assert suggested_stage([[2, 3], [3, 4], [4, 4], [2, None]]) == 3
    # Pooled: 2, 3, 3, 4 -> (3 + 3) / 2 = 3; and 2, 3, 4, 5 -> 3.5, rounded down to 3.
    assert suggested_stage([[2, 3], [3, 4]]) == 3
    assert suggested_stage([[2, 5], [3, 4]]) == 3
    assert suggested_stage([[None], []]) is None


def test_median_of_nothing_is_none():
    assert median([]) is None


def test_a_function_shows_only_with_three_real_answers():
    answers = [("Sales", 2), ("Sales", 3), ("Sales", 3),  # three: shown, median 3
               ("Service", 4), ("Service", 5), ("Service", None),  # two and a shrug: hidden
               ("IT", 1), ("", 2), ("", 2), ("", 2)]  # one; and no function at all: hidden
    shown = by_function(answers, STAGES)
    assert list(shown) == ["Sales"]
    assert shown["Sales"].median == Decimal(3) and shown["Sales"].n == 3
