"""Screenshots of the main pages for the README: `make screenshots` (skipped in an ordinary test run)."""

import os
from pathlib import Path

import pytest

FOLDER = os.environ.get("CXROADMAP_SCREENSHOTS")
pytestmark = pytest.mark.skipif(not FOLDER, reason="screenshots are taken by `make screenshots`")

PAGES = {
    "overview": "/o/{slug}/", "dashboard": "/o/{slug}/dashboard", "initiatives": "/o/{slug}/initiatives",
    "initiative": "/o/{slug}/initiatives/INIT-4", "timeline": "/o/{slug}/timeline", "meeting": "/o/{slug}/meetings/2",
    "teams": "/o/{slug}/teams", "maturity": "/o/{slug}/maturity",
}


def test_screenshots_of_the_main_pages(signed_in, live_server):
    folder = Path(FOLDER)
    folder.mkdir(parents=True, exist_ok=True)
    page = signed_in("steering")
    for name, path in PAGES.items():
        page.goto(path.format(slug=live_server["slug"]))
        page.screenshot(path=str(folder / f"{name}.png"), full_page=True)
    phone = signed_in("viewer", viewport={"width": 390, "height": 844})
    phone.goto(f"/o/{live_server['slug']}/")
    phone.screenshot(path=str(folder / "overview-phone.png"), full_page=True)
    # The same pages for a member who reads Dutch.
    dutch = signed_in("steering", locale="nl")
    for name in ("overview", "initiative", "dashboard"):
        dutch.goto(PAGES[name].format(slug=live_server["slug"]))
        dutch.screenshot(path=str(folder / f"{name}-nl.png"), full_page=True)
    assert len(list(folder.glob("*.png"))) >= len(PAGES) + 4
