"""A steering member builds the journey, scores two touchpoints, imports survey answers and sees a KPI go off
track: in English, then in Dutch."""

import re

from tests.e2e.conftest import DUTCH_STEERING, PASSWORD
from tests.helpers import page_text  # noqa: F401 - the same reading of a page as the other tests


def add_touchpoint(page, slug, name, stage, channel):
    page.goto(f"/o/{slug}/journey")
    page.locator("main a[href$='/journey/touchpoints/new']").first.click()
    page.fill("#name", name)
    page.select_option("#stage_id", label=stage)
    page.fill("#channel", channel)
    page.check("#moment_of_truth")
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def score(page, expectation, perception, respondents):
    page.fill("#expectation", expectation)
    page.fill("#perception", perception)
    page.fill("#respondents", respondents)
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def upload_answers(page, slug, code, tmp_path, lines):
    answers = tmp_path / f"{code}.csv"
    answers.write_text("score,comment\n" + "\n".join(lines) + "\n", encoding="utf-8")
    page.goto(f"/o/{slug}/kpis/{code}")
    page.set_input_files("#answers", str(answers))
    page.locator("form[action$='/answers'] button[type=submit]").click()
    page.wait_for_load_state()


def test_steering_member_measures_the_experience_and_sees_a_kpi_go_off_track(signed_in, live_server, tmp_path):
    page = signed_in("steering")
    slug = live_server["slug"]
    add_touchpoint(page, slug, "Part collected at the trade counter", "Use", "Store")
    page.wait_for_url(re.compile(r".*/journey/touchpoints/part-collected-at-the-trade-counter$"))
    score(page, "6", "4.5", "40")
    assert page.get_by_text("−1.5").first.is_visible() or page.get_by_text("-1.5").first.is_visible()
    page.goto(f"/o/{slug}/journey/touchpoints/order-desk")
    score(page, "5.5", "5.8", "120")

    page.goto(f"/o/{slug}/kpis")
    row = page.locator("tr", has_text="CSAT-DEL")
    assert row.get_by_text("On track").is_visible()
    # 2 of 10 delivery answers are a 4 or 5: 20.0 % satisfied, far below the line.
    upload_answers(page, slug, "CSAT-DEL", tmp_path, ["5,on time", "4,", "3,", "2,late", "1,late again"] + ["2,"] * 5)
    assert "10 answers stored" in page.get_by_role("status").inner_text()
    assert page.locator("#readings").get_by_text("20.0%").first.is_visible()
    page.goto(f"/o/{slug}/kpis")
    assert page.locator("tr", has_text="CSAT-DEL").get_by_text("Off track").is_visible()
    page.goto(f"/o/{slug}/")
    assert page.locator("#kpis-off-track").get_by_text("CSAT-DEL").is_visible()

    # A bad file is refused line by line and changes nothing.
    upload_answers(page, slug, "CSAT-DEL", tmp_path, ["5,", "9,too high", "x,"])
    error = page.locator("#answers-error")
    assert "Line 3" in error.inner_text() and "Line 4" in error.inner_text()


def test_the_same_in_dutch(browser, live_server, tmp_path):
    slug = live_server["slug"]
    context = browser.new_context(base_url=live_server["url"], locale="nl-NL", viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", DUTCH_STEERING)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()
        page.goto("/account")
        page.select_option("#locale", "nl")
        page.get_by_role("button", name="Taal opslaan").click()
        page.wait_for_load_state()

        add_touchpoint(page, slug, "Onderdeel opgehaald aan de balie", "Use", "Winkel")
        score(page, "6", "4,5", "35")
        page.goto(f"/o/{slug}/journey/touchpoints/invoice")
        score(page, "6,5", "5", "80")

        page.goto(f"/o/{slug}/kpis")
        assert page.get_by_role("heading", name="KPI's van de klantervaring").is_visible()
        assert page.locator("tr", has_text="NPS-REL").get_by_text("Risico").is_visible()
        # Customer effort after a service contact, which no survey feeds: ten answers averaging 2,00 on 1–7.
        upload_answers(page, slug, "CES-SVC", tmp_path, ["2,te veel moeite"] * 7 + ["3,", "2,", "1,"])
        assert "10 antwoorden opgeslagen" in page.get_by_role("status").inner_text()
        assert page.locator("#readings").get_by_text("2,00").first.is_visible()
        page.goto(f"/o/{slug}/kpis")
        assert page.locator("tr", has_text="CES-SVC").get_by_text("Uit koers").is_visible()
        page.goto(f"/o/{slug}/dashboard")
        assert page.locator("#kpis-off-track").get_by_text("CES-SVC").is_visible()
    finally:
        context.close()
