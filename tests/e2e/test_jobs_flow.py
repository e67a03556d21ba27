"""A large organisation's report and spreadsheet in the browser: the job's page follows its progress by itself,
then offers the download; on a phone and a laptop, in English and Dutch."""

import io
from pathlib import Path

import openpyxl
import pytest
from axe_playwright_python.sync_playwright import Axe
from pypdf import PdfReader

from tests.e2e.test_accessibility import serious

SCREENSHOTS = "/tmp/jobs"


@pytest.fixture
def large_threshold(live_server):
    config = live_server["app"].config
    before = config["BACKGROUND_REPORT_INITIATIVES"], config["BACKGROUND_DOWNLOAD_INITIATIVES"]
    # the demo's 20 initiatives make it large, for reports and downloads alike
    config["BACKGROUND_REPORT_INITIATIVES"] = config["BACKGROUND_DOWNLOAD_INITIATIVES"] = 5
    yield
    config["BACKGROUND_REPORT_INITIATIVES"], config["BACKGROUND_DOWNLOAD_INITIATIVES"] = before


@pytest.mark.parametrize("locale, width", [("en", 1280), ("en", 390), ("nl", 390), ("nl", 1280)])
def test_a_report_built_in_the_background_is_followed_then_downloaded(signed_in, live_server, large_threshold,
                                                                       locale, width):
    page = signed_in("steering", viewport={"width": width, "height": 900}, locale=locale)
    page.goto(f"/o/{live_server['slug']}/reports")
    ready, download_name = ("Ready", "Download") if locale == "en" else ("Klaar", "Downloaden")
    page.locator("form[action$='/reports/build'] button").first.click()
    page.wait_for_url("**/jobs/*")
    page.screenshot(path=f"{SCREENSHOTS}/job-working-{locale}-{width}.png", full_page=True)
    # The page asks how far it is by itself, and shows the download when the report is ready.
    page.get_by_text(ready, exact=True).wait_for(timeout=60_000)
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.screenshot(path=f"{SCREENSHOTS}/job-ready-{locale}-{width}.png", full_page=True)
    assert serious(Axe().run(page)) == []
    with page.expect_download() as download:
        page.get_by_role("link", name=download_name).click()
    content = Path(download.value.path()).read_bytes()
    text = " ".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages)
    assert "Van Dijk Onderdelen" in text


@pytest.mark.parametrize("locale, width", [("en", 1280), ("nl", 390)])
def test_a_large_organisations_spreadsheet_is_made_in_the_background_from_the_lists_menu(
        signed_in, live_server, large_threshold, locale, width):
    page = signed_in("viewer", viewport={"width": width, "height": 900}, locale=locale)
    page.goto(f"/o/{live_server['slug']}/initiatives?status=in_progress")
    page.locator("main .dropdown-toggle").first.click()
    page.screenshot(path=f"{SCREENSHOTS}/sheet-menu-{locale}-{width}.png")
    assert serious(Axe().run(page)) == []
    page.locator("form[action*='/sheets/build?status=in_progress'] button[value=xlsx]").first.click()
    page.wait_for_url("**/jobs/*")
    page.get_by_text("Ready" if locale == "en" else "Klaar", exact=True).wait_for(timeout=60_000)
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    page.screenshot(path=f"{SCREENSHOTS}/sheet-ready-{locale}-{width}.png", full_page=True)
    assert serious(Axe().run(page)) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Download" if locale == "en" else "Downloaden").click()
    assert download.value.suggested_filename.startswith(f"{live_server['slug']}-initiatives-")
    sheet = openpyxl.load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).worksheets[0]
    statuses = {row[5] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert statuses == {"In progress" if locale == "en" else "In uitvoering"}


@pytest.mark.parametrize("locale, width", [("en", 1280), ("nl", 390)])
def test_a_large_import_that_fails_its_checks_lists_its_problems(signed_in, live_server, tmp_path, locale, width):
    config = live_server["app"].config
    before = config["BACKGROUND_IMPORT_BYTES"]
    config["BACKGROUND_IMPORT_BYTES"] = 50
    try:
        sheet = tmp_path / "initiatives.csv"
        sheet.write_text("Ref,Title,Readiness question,Due date\n" + "".join(
            f",Promise {n},know_customers,someday\n" for n in range(3)))
        page = signed_in("steering", viewport={"width": width, "height": 900}, locale=locale)
        page.goto(f"/o/{live_server['slug']}/initiatives/import")
        page.set_input_files("#file", str(sheet))
        page.click("main form[enctype] button[type=submit]")
        page.wait_for_url("**/jobs/*")
        page.locator(".alert-danger li").nth(2).wait_for(timeout=60_000)
        assert page.locator(".alert-danger li").count() == 3
        assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
        page.screenshot(path=f"{SCREENSHOTS}/job-failed-{locale}-{width}.png", full_page=True)
    finally:
        config["BACKGROUND_IMPORT_BYTES"] = before
