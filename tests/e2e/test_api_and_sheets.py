"""A token made on the account page opens the API; the initiatives list downloads as a workbook."""

import json
import urllib.request

import openpyxl


def test_a_token_from_the_account_page_reads_the_api(signed_in, live_server):
    page = signed_in("steering")
    page.goto("/account")
    page.fill("#name", "Survey tool")
    page.select_option("#organisation", live_server["slug"])
    page.click("form[action$='/account/tokens'] button[type=submit]")
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith("cxr_")
    request = urllib.request.Request(f"{live_server['url']}/api/v1/o/{live_server['slug']}/initiatives?limit=3",
                                     headers={"Authorization": f"Bearer {secret}"})
    with urllib.request.urlopen(request, timeout=30) as response:  # our own server, on loopback
        body = json.load(response)
        assert 'rel="next"' in response.headers["Link"]
    assert [item["ref"] for item in body["items"]] == ["INIT-1", "INIT-2", "INIT-3"]
    page.goto("/account")
    assert page.get_by_role("cell", name="Survey tool").count() >= 1


def test_the_initiatives_list_downloads_as_a_workbook_with_its_filters(signed_in, live_server):
    page = signed_in("viewer")
    page.goto(f"/o/{live_server['slug']}/initiatives?health=red")
    page.get_by_role("button", name="Download").click()
    with page.expect_download() as download:
        page.locator(".dropdown-menu a", has_text="XLSX").first.click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as file:  # the saved download has no extension of its own
        book = openpyxl.load_workbook(file)
    healths = {row[6] for row in book["Initiatives"].iter_rows(min_row=2, values_only=True)}
    assert healths == {"Red"}
