"""The initiative picker in a browser: typing part of a title offers matching initiatives, choosing one puts its
reference in the field, and the meeting is planned with it."""

import os
from pathlib import Path

import pytest

SHOTS = os.environ.get("CXROADMAP_PICKER_SHOTS")  # a folder: screenshots of the picker open, for a person to look at


def test_typing_into_the_agenda_picker_offers_initiatives_and_plans_the_meeting(signed_in, live_server):
    page = signed_in("steering")
    page.goto(f"/o/{live_server['slug']}/meetings")
    agenda = page.locator("#agenda")
    agenda.fill("")
    agenda.press_sequentially("INIT-1, delay", delay=30)
    option = page.locator("#agenda-suggestions [role=option]").filter(has_text="Proactive delay notifications")
    option.wait_for()
    assert agenda.get_attribute("aria-expanded") == "true"
    option.click()
    chosen = agenda.input_value()
    assert chosen.startswith("INIT-1, INIT-") and chosen.endswith(", ")
    assert page.locator("#agenda-suggestions").is_hidden()
    # The keyboard works too: down to the first suggestion, Enter takes it.
    agenda.press_sequentially("returns in five", delay=30)
    page.locator("#agenda-suggestions [role=option]").first.wait_for()
    agenda.press("ArrowDown")
    agenda.press("Enter")
    refs = [ref.strip() for ref in agenda.input_value().split(",") if ref.strip()]
    assert len(refs) == 3
    page.fill("#title", "Picker review")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    agenda_text = page.locator("main").inner_text()
    assert "Picker review" in agenda_text
    assert "Proactive delay notifications" in agenda_text and "Returns in five days" in agenda_text


def test_the_open_suggestions_never_cover_the_button_of_their_form(signed_in, live_server):
    page = signed_in("steering")
    page.goto(f"/o/{live_server['slug']}/meetings/2")
    field = page.locator("#act-initiative")
    field.press_sequentially("INIT", delay=30)
    page.locator("#act-initiative-suggestions [role=option]").first.wait_for()
    listed = page.locator("#act-initiative-suggestions").bounding_box()
    button = page.locator("form[action$='/actions'] button[type=submit]").bounding_box()
    assert listed["y"] + listed["height"] <= button["y"], (listed, button)


def test_an_unknown_reference_comes_back_beside_the_picker(signed_in, live_server):
    page = signed_in("steering", locale="nl")
    page.goto(f"/o/{live_server['slug']}/initiatives/INIT-4")
    page.fill("#d-on", "INIT-999")
    page.click("form[action$='/dependencies'] button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#d-on-error").inner_text() == "Geen initiatief INIT-999 in deze organisatie."
    assert page.locator("#d-on").input_value() == "INIT-999"


@pytest.mark.skipif(not SHOTS, reason="screenshots only when CXROADMAP_PICKER_SHOTS names a folder")
def test_screenshots_of_the_pickers_open(signed_in, live_server):
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    slug = live_server["slug"]
    for language in ("en", "nl"):
        for width in (390, 1280):
            page = signed_in("steering", viewport={"width": width, "height": 900}, locale=language)
            page.goto(f"/o/{slug}/meetings")
            page.locator("#agenda").press("End")
            page.locator("#agenda").press_sequentially(", deliv", delay=20)
            page.locator("#agenda-suggestions [role=option]").first.wait_for()
            page.screenshot(path=str(folder / f"meetings-{language}-{width}.png"), full_page=True)
            page.goto(f"/o/{slug}/meetings/2")
            page.locator("#act-initiative").press_sequentially("CES", delay=20)
            page.locator("#act-initiative-suggestions [role=option]").first.wait_for()
            page.locator("#actions").screenshot(path=str(folder / f"meeting-{language}-{width}.png"))
            page.goto(f"/o/{slug}/initiatives/INIT-4")
            page.fill("#d-on", "INIT-999")
            page.click("form[action$='/dependencies'] button[type=submit]")
            page.wait_for_load_state()
            page.locator("#dependencies").screenshot(path=str(folder / f"dependency-{language}-{width}.png"))
            assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
