"""What steering members, team members and executives do, in a real browser."""

import re

from pypdf import PdfReader

from tests.e2e.conftest import DUTCH_STEERING, PASSWORD


def test_steering_member_creates_an_initiative_posts_an_update_and_downloads_the_roadmap(signed_in, live_server):
    page = signed_in("steering")
    slug = live_server["slug"]
    page.goto(f"/o/{slug}/initiatives/new")
    page.fill("#title", "Same-day collection of returns")
    page.select_option("#readiness_question", "know_experience")
    page.fill("#start_date", "2026-12-01")
    page.fill("#due_date", "2027-06-30")
    page.fill("#one_off_cost", "12.500")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/initiatives/INIT-21$"))
    assert page.get_by_role("heading", name="Same-day collection of returns").is_visible()

    page.click("text=Add benefit estimate")
    page.select_option("#kind", "cost_reduction")
    page.fill("#volume", "5200")
    page.fill("#rate", "40%")
    page.fill("#unit_value", "14")
    page.fill("#confidence", "70%")
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/initiatives/INIT-21#benefits$"))
    # The estimate's row and the headline figure above it read alike, in whole euros.
    assert page.locator("#benefits").get_by_role("cell", name="€29,120").is_visible()
    assert page.locator("#benefits .figure-big").get_by_text("€29,120").is_visible()

    page.select_option("#u-health", "amber")
    page.fill("#u-progress", "10")
    page.fill("#u-note", "Carrier for collections still to be chosen.")
    page.click("text=Post update")
    page.wait_for_load_state()
    assert page.get_by_text("Carrier for collections still to be chosen.").is_visible()

    page.goto(f"/o/{slug}/reports")
    with page.expect_download() as download:
        page.click("text=Download as it stands now >> nth=0")
    assert re.fullmatch(rf"{slug}-roadmap-\d{{4}}-\d{{2}}-\d{{2}}\.pdf", download.value.suggested_filename)
    text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert "INIT-21" in text and "Same-day collection of returns" in text


def test_team_member_logs_the_teams_role(signed_in, live_server):
    page = signed_in("contributor")
    page.goto(f"/o/{live_server['slug']}/teams")
    page.click("text=Field Service")
    page.fill("#statement", "We fix the machine on the first visit, with the part in the van.")
    page.fill("#touchpoints", "Repairs on site\nPreventive maintenance")
    page.click("text=Log role")
    page.wait_for_load_state()
    assert page.get_by_text("The role of Field Service is logged.").is_visible()
    assert page.get_by_text("We fix the machine on the first visit").is_visible()
    page.goto(f"/o/{live_server['slug']}/teams")
    assert page.get_by_text("6 of 7 teams have logged their role").is_visible()


def test_executive_sees_the_dashboard_downloads_a_report_and_cannot_edit(signed_in, live_server):
    page = signed_in("viewer")
    slug = live_server["slug"]
    page.goto(f"/o/{slug}/dashboard")
    assert page.get_by_role("heading", name="What needs attention").is_visible()
    assert page.locator("img[src*='stages.svg']").evaluate("img => img.naturalWidth") > 0
    page.goto(f"/o/{slug}/initiatives/INIT-4")
    for control in ("Edit", "Archive", "Add benefit estimate", "Post update"):
        assert page.get_by_role("button", name=control).count() == 0
        assert page.get_by_role("link", name=control).count() == 0
    page.goto(f"/o/{slug}/reports")
    assert page.get_by_role("button", name="Issue and keep").count() == 0
    with page.expect_download() as download:
        page.click("text=Download as it stands now >> nth=1")
    assert download.value.suggested_filename.startswith(f"{slug}-summary-")
    # Posting an edit directly, with a valid CSRF token taken from the page, is refused.
    token = page.locator("input[name=csrf_token]").first.get_attribute("value")
    response = page.request.post(f"/o/{slug}/initiatives/INIT-4/edit", form={
        "csrf_token": token, "ref": "INIT-4", "title": "Hijacked", "readiness_question": "know_roles",
        "status": "done", "health": "green", "progress": "100"})
    assert response.status == 403
    page.goto(f"/o/{slug}/initiatives/INIT-4")
    assert page.get_by_role("heading", name="One customer view: ERP, CRM and webshop joined").is_visible()


def test_the_phone_layout_has_a_working_menu(signed_in, live_server):
    page = signed_in("steering", viewport={"width": 390, "height": 844})
    page.goto(f"/o/{live_server['slug']}/")
    assert not page.get_by_role("button", name="Roadmap").is_visible()
    page.click("button.navbar-toggler")
    page.get_by_role("button", name="Roadmap").click()  # the areas sit in a few menus
    page.get_by_role("link", name="Initiatives").click()
    page.wait_for_url(re.compile(r".*/initiatives$"))
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_whole_flow_once_in_dutch(browser, live_server):
    """A Dutch steering member: a Dutch browser, then Dutch chosen on the account page, then the flow."""
    slug = live_server["slug"]
    context = browser.new_context(base_url=live_server["url"], accept_downloads=True, locale="nl-NL",
                                  viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto("/login")
        assert page.get_by_role("heading", name="Inloggen bij cxroadmap").is_visible()  # the browser's language
        page.fill("#email", DUTCH_STEERING)
        page.fill("#password", PASSWORD)
        page.get_by_role("button", name="Inloggen").click()
        page.wait_for_load_state()

        # The demo organisation reads English; this member chooses Dutch for themselves.
        page.goto(f"/o/{slug}/")
        assert page.get_by_role("link", name="Overview").first.is_visible()  # the organisation's English
        page.goto("/account")  # no organisation here: the browser's language again
        page.select_option("#locale", "nl")
        page.get_by_role("button", name="Taal opslaan").click()
        page.wait_for_load_state()
        assert page.get_by_text("Taal opgeslagen.").is_visible()

        page.goto(f"/o/{slug}/initiatives")
        page.get_by_role("link", name="Nieuw initiatief").click()
        page.fill("#title", "Retouren binnen één dag opgehaald")
        page.select_option("#readiness_question", "know_experience")
        page.fill("#start_date", "2026-12-01")
        page.fill("#due_date", "2027-06-30")
        page.fill("#one_off_cost", "12.500")
        page.get_by_role("button", name="Initiatief aanmaken").click()
        page.wait_for_url(re.compile(r".*/initiatives/INIT-\d+$"))
        ref = page.url.rsplit("/", 1)[-1]
        assert page.get_by_text(f"{ref} aangemaakt. Voeg toe wat het naar verwachting oplevert of bespaart.") \
            .is_visible()
        assert page.get_by_text(re.compile(r"^€\s12\.500$")).is_visible()  # Babel puts a no-break space

        page.get_by_role("link", name="Batenschatting toevoegen").click()
        page.select_option("#kind", "cost_reduction")
        page.fill("#volume", "5.200")
        page.fill("#rate", "40%")
        page.fill("#unit_value", "14")
        page.fill("#confidence", "70%")
        page.get_by_role("button", name="Schatting toevoegen").click()
        page.wait_for_url(re.compile(r".*#benefits$"))
        assert page.locator("#benefits").get_by_role("cell", name=re.compile(r"^€\s29\.120$")).is_visible()

        page.select_option("#u-health", "amber")
        page.fill("#u-progress", "10")
        page.fill("#u-note", "Vervoerder voor het ophalen moet nog gekozen worden.")
        page.get_by_role("button", name="Update plaatsen").click()
        page.wait_for_load_state()
        assert page.get_by_text(f"Update over {ref} geplaatst.").is_visible()
        assert page.get_by_text("Oranje").first.is_visible()

        page.goto(f"/o/{slug}/teams")
        page.get_by_role("link", name="Field Service").first.click()
        page.fill("#statement", "Wij repareren de machine bij het eerste bezoek, met het onderdeel in de bus.")
        page.get_by_role("button", name="Rol vastleggen").click()
        page.wait_for_load_state()
        assert page.get_by_text("De rol van Field Service is vastgelegd.").is_visible()

        page.goto(f"/o/{slug}/dashboard")
        assert page.get_by_role("heading", name="Wat aandacht vraagt").is_visible()

        page.goto(f"/o/{slug}/reports")
        with page.expect_download() as download:
            page.get_by_role("link", name="Downloaden zoals het nu is").first.click()
        text = " ".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
        assert "CX-roadmap en voortgangsrapport" in text and "Managementsamenvatting" in text
        assert ref in text and "Retouren binnen één dag opgehaald" in text
    finally:
        context.close()
