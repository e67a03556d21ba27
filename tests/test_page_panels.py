"""Pages of the lower areas show what the higher areas add to them (page panels), in their places, and only to whom
the page is for: the calendar card and the API reference on the account page, the site administrator's links."""

import re

from tests import factories
from tests.helpers import page_text


def links(response) -> list[tuple[str, str]]:
    """(address, text) of every link, in page order."""
    body = response.get_data(as_text=True)
    return [(href, re.sub(r"<[^>]+>", "", text).strip())
            for href, text in re.findall(r'<a [^>]*href="([^"]+)"[^>]*>(.*?)</a>', body, re.S)]


def test_the_account_page_has_the_calendar_card_before_two_factor_and_the_api_reference_by_the_tokens(client_as):
    browser = client_as("viewer", factories.OrganisationFactory())
    page = browser.get("/account")
    text = page_text(page)
    assert text.index("Your calendar") < text.index("Two-factor sign-in") < text.index("Personal access tokens")
    found = links(page)
    assert ("/account/calendar", "Calendar subscription") in found
    assert ("/api/docs", "API reference") in found


def test_a_site_administrator_reaches_background_work_and_single_sign_on_beside_new_organisation(client):
    found = [text for _, text in links(client.get("/"))]
    start = found.index("Background work")
    assert found[start:start + 3] == ["Background work", "Single sign-on", "New organisation"]


def test_a_member_who_is_no_site_administrator_sees_neither(client_as):
    browser = client_as("admin", factories.OrganisationFactory())
    text = page_text(browser.get("/"))
    assert "Background work" not in text and "Single sign-on" not in text


def test_the_account_page_speaks_dutch_in_the_panels_too(client_as):
    browser = client_as("viewer", factories.OrganisationFactory(), locale="nl")
    text = page_text(browser.get("/account"))
    assert "Agenda-abonnement" in text and "API-referentie" in text
