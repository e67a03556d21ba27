"""Themes in comments and the themes suggested from repeated phrases."""

from cxroadmap.text_analysis.themes import Theme, ThemeMatcher, suggest_themes

INVOICING = Theme("invoicing", ("invoice", "credit note"), ("factuur", "creditnota"))
DELIVERY = Theme("delivery", ("delivery", "late"), ("levering", "te laat"))
WEBSHOP = Theme("webshop", ("web shop", "portal"), ("webwinkel", "portaal*"))


def test_keywords_match_across_case_accents_and_inflections():
    matcher = ThemeMatcher([INVOICING, DELIVERY, WEBSHOP])
    assert matcher.matches("Two INVOICES for one order") == ["invoicing"]
    assert matcher.matches("De facturen kloppen niet en de leveringen zijn te laat") == ["invoicing", "delivery"]
    assert matcher.matches("Still no credit notes for the returns") == ["invoicing"]
    assert matcher.matches("Het klantportaal is traag") == []  # 'portaal*' begins a word, not the middle of one
    assert matcher.matches("Portaalpagina laadt niet") == ["webshop"]
    assert matcher.matches("Créditnota ontvangen, dank") == ["invoicing"]
    assert matcher.matches("The engineer was great") == []


def test_a_phrase_keyword_needs_its_words_together():
    matcher = ThemeMatcher([INVOICING])
    assert matcher.matches("The credit note is missing") == ["invoicing"]
    assert matcher.matches("We note that your credit terms changed") == []


def test_counts_per_theme():
    comments = ["Invoice wrong", "Late delivery", "Factuur te laat", "Friendly driver"]
    assert ThemeMatcher([INVOICING, DELIVERY]).counts(comments) == {"invoicing": 2, "delivery": 2}


COMMENTS = [
    "The credit note for the returned pump is still missing.",
    "Still waiting for a credit note.",
    "Credit notes take weeks to arrive.",
    "Please send the credit note to finance.",
    "The loading dock was blocked by your truck.",
    "Driver blocked the loading dock again.",
    "Truck at the wrong loading dock.",
    "Track & trace link did not work.",
    "Track and trace showed nothing.",
    "Geen track & trace ontvangen.",
    "De invoice was wrong.",
]


def test_suggestions_are_repeated_phrases_without_stop_words():
    suggestions = suggest_themes(COMMENTS, minimum=3)
    assert [(s.phrase, s.count) for s in suggestions][:3] == [("credit note", 4), ("loading dock", 3),
                                                              ("track trace", 3)]
    assert suggestions[0].examples == tuple(COMMENTS[:3])
    # "credit" and "note" alone are held by "credit note"; "the", "and", "geen" never start or end a phrase.
    assert not {"credit", "note", "loading", "dock", "track", "trace"} & {s.phrase for s in suggestions}


def test_suggestions_leave_out_what_a_theme_already_covers():
    phrases = [s.phrase for s in suggest_themes(COMMENTS, [INVOICING], minimum=3)]
    assert "credit note" not in phrases and "loading dock" in phrases


def test_inflections_count_as_one_phrase():
    comments = ["wrong delivery", "two deliveries late", "delivery was fine", "leveringen te laat", "levering ok",
                "de levering"]
    counted = {s.phrase: s.count for s in suggest_themes(comments, minimum=3)}
    assert counted["delivery"] == 3 and counted["levering"] == 3


def test_few_comments_suggest_nothing():
    assert suggest_themes(["Late again", "Wrong part"], minimum=3) == []


def test_the_language_of_a_comment_from_its_common_words():
    from cxroadmap.text_analysis.words import language_of

    assert language_of("The invoice was wrong again and nobody called us") == "en"
    assert language_of("De factuur was weer fout en niemand heeft ons gebeld") == "nl"
    assert language_of("Webshop!", default="nl") == "nl"
