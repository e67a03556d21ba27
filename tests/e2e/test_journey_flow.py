"""A steering member builds a journey and scores two touchpoints, in a real browser, in English and in Dutch."""

import re

import pytest


@pytest.mark.parametrize("language, texts", [
    ("en", {"stage_added": "added at the end of the journey", "recorded": "the gap is −1.5",
            "moment": "Moment of truth", "flag": "a moment of truth with no score"}),
    ("nl", {"stage_added": "toegevoegd aan het eind van de klantreis", "recorded": "de kloof is −1,5",
            "moment": "Moment van de waarheid", "flag": "een moment van de waarheid zonder score"}),
])
def test_steering_member_builds_a_journey_and_scores_two_touchpoints(signed_in, live_server, language, texts):
    page = signed_in("steering", locale=language)
    slug = live_server["slug"]
    suffix = language.upper()
    page.goto(f"/o/{slug}/journey/stages")
    page.fill("#name", f"Repair {suffix}")
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_text(texts["stage_added"]).is_visible()

    page.goto(f"/o/{slug}/journey/touchpoints/new")
    page.fill("#name", f"Machine runs again the same day {suffix}")
    page.select_option("#stage_id", label=f"Repair {suffix}")
    page.fill("#channel", "Field service")
    page.select_option("#team_id", label="Field Service")
    page.check("#moment_of_truth")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(rf".*/journey/touchpoints/machine-runs-again-the-same-day-{language}$"))

    # Scored as the reader writes numbers: 6,5 in Dutch.
    page.fill("#expectation", "6,5" if language == "nl" else "6.5")
    page.fill("#perception", "5")
    page.fill("#respondents", "24")
    page.fill("#source", "Call-backs after repair")
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_text(texts["recorded"]).is_visible()

    page.goto(f"/o/{slug}/journey/touchpoints/invoice")
    page.fill("#expectation", "6")
    page.fill("#perception", "6")
    page.fill("#respondents", "30")
    page.click("main form[novalidate] button[type=submit]")
    page.wait_for_load_state()

    page.goto(f"/o/{slug}/journey")
    card = page.locator(".tp-card", has_text=f"Machine runs again the same day {suffix}")
    assert card.locator(".tp-gap-number").inner_text() == ("−1,5" if language == "nl" else "−1.5")
    assert texts["moment"].upper() in card.inner_text().upper() and "Field Service" in card.inner_text()
    assert "band-far_below" in card.get_attribute("class")
    # The invoice was a moment of truth without a recent score; now it has one and is no longer flagged.
    attention = page.locator(".card", has_text=texts["flag"]).first
    assert "Invoice matches the quote" not in (attention.inner_text() if attention.count() else "")
    wider = page.evaluate("""() => Array.from(document.querySelectorAll('body *'))
        .filter(e => e.getBoundingClientRect().right > 1281)
        .map(e => e.tagName + '.' + e.className + ': ' + (e.textContent || '').trim().slice(0, 40))""")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280, wider[:5]
