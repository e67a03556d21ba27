"""The labelled comments and the accuracy benchmarks/sentiment_bench.py reports (README, "What customers say")."""

from collections import Counter

import pytest

from benchmarks.sentiment_bench import held_out, rows
from cxroadmap.text_analysis.sentiment import SENTIMENTS, sentiment


@pytest.mark.parametrize("language", ["en", "nl"])
def test_at_least_a_hundred_labelled_comments_of_every_kind(language):
    labelled = rows(language)
    assert len(labelled) >= 100
    assert set(Counter(label for _, label, _ in labelled)) == set(SENTIMENTS.keys)
    assert len({text for _, _, text in labelled}) == len(labelled)


@pytest.mark.parametrize(("language", "correct", "total"), [("en", 47, 60), ("nl", 44, 58)])
def test_held_out_accuracy_is_what_the_readme_says(language, correct, total):
    testing = [(label, text) for position, label, text in rows(language) if held_out(position)]
    assert len(testing) == total
    assert sum(1 for label, text in testing if sentiment(text, language) == label) == correct
