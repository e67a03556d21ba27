"""A reader on a phone downloads a held meeting's minutes from its page, in English and in Dutch."""

import re
from pathlib import Path

import pytest
from pypdf import PdfReader


@pytest.mark.parametrize(("locale", "button", "heading"), [("en", "Minutes (PDF)", "Decisions"),
                                                           ("nl", "Notulen (PDF)", "Besluiten")])
def test_a_viewer_downloads_the_minutes_on_a_phone(signed_in, live_server, tmp_path, locale, button, heading):
    slug = live_server["slug"]
    page = signed_in("viewer", viewport={"width": 390, "height": 844}, locale=locale)
    page.goto(f"/o/{slug}/meetings/2")  # the demo's September meeting, held a month ago
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    with page.expect_download() as download:
        page.get_by_role("link", name=button).click()
    assert re.fullmatch(rf"{slug}-minutes-\d{{4}}-\d{{2}}-\d{{2}}\.pdf", download.value.suggested_filename)
    saved = tmp_path / "minutes.pdf"
    download.value.save_as(saved)
    text = " ".join(p.extract_text() for p in PdfReader(Path(saved)).pages)
    assert heading in text and "Accept the six-week delay of the ERP connector" in text
    page.goto(f"/o/{slug}/meetings/3")  # still to come: no minutes yet
    assert page.get_by_role("link", name=re.compile(r"\(PDF\)")).count() == 1  # the steering pack only
