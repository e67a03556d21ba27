"""Sentiment of comments: the rules, each on a comment a customer could write (not from the benchmark's rows)."""

import pytest

from cxroadmap.text_analysis.sentiment import lexicon, score, sentiment


@pytest.mark.parametrize(("text", "language", "label"), [
    ("The bearings came the day after we ordered them, well packed.", "en", "positive"),
    ("Three wrong gaskets in one delivery.", "en", "negative"),
    ("Please send the delivery notes with the invoice.", "en", "neutral"),
    ("De lagers kwamen de dag na bestelling, goed verpakt.", "nl", "positive"),
    ("Drie verkeerde pakkingen in één levering.", "nl", "negative"),
    ("Graag de pakbonnen met de factuur meesturen.", "nl", "neutral"),
])
def test_plain_comments(text, language, label):
    assert sentiment(text, language) == label


def test_a_negator_turns_a_term_over():
    assert sentiment("The driver was friendly.", "en") == "positive"
    assert sentiment("The driver was not friendly.", "en") == "negative"
    assert sentiment("Not bad at all.", "en") == "positive"
    assert sentiment("De chauffeur was niet vriendelijk.", "nl") == "negative"
    assert sentiment("De levering was niet op tijd.", "nl") == "negative"


def test_dutch_negation_at_the_end_of_the_clause():
    # "werkt … niet" with words between: the verb and its negation are read as one phrase.
    assert sentiment("De scanner in het magazijn werkt sinds gisteren niet.", "nl") == "negative"
    assert sentiment("De scanner werkt.", "nl") == "positive"


def test_after_but_the_clause_counts_more():
    assert sentiment("The engineer was friendly but the machine is still broken.", "en") == "negative"
    assert sentiment("One box was late, but everything else was perfect.", "en") == "positive"
    assert sentiment("Vriendelijke monteur, maar de machine is nog steeds kapot.", "nl") == "negative"


def test_a_cheerful_opening_before_a_complaint_is_irony():
    assert sentiment("Great, another wrong part.", "en") == "negative"
    assert score("Great, another wrong part.", "en").score < score("Another wrong part.", "en").score
    assert sentiment("Fantastisch, weer een verkeerd onderdeel.", "nl") == "negative"


def test_intensifiers_and_dampeners_scale_a_term():
    plain, very, bit = (score(text, "en").score for text in ("It was slow.", "It was very slow.", "It was a bit slow."))
    assert very == 1.5 * plain and bit == 0.5 * plain


def test_case_accents_and_apostrophes_do_not_matter():
    assert score("DIDN'T FIT", "en") == score("didn’t fit", "en")
    assert sentiment("Geëxporteerde factuur was perfect", "nl") == sentiment("geexporteerde factuur was PERFECT", "nl")


def test_word_endings_match_a_starred_term():
    assert sentiment("Delivery delayed again.", "en") == "negative"
    assert sentiment("Weer vertraging bij de levering.", "nl") == "negative"


def test_unknown_language_is_refused():
    with pytest.raises(ValueError, match="no sentiment lexicon"):
        lexicon("de")


def test_empty_comment_is_neutral():
    assert score("", "en").label == "neutral" and score("  ...", "nl").score == 0
