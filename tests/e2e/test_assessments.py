"""Assessment rounds in a real browser: a rater answering on a phone in Dutch, and steering running a round."""

import re
from datetime import timedelta

ANSWERS = {"leadership": "mobilise", "brand_values": "explore", "engagement": "explore",
           "customer_insight": "mobilise", "know_customers": "3", "know_experience": "2", "know_roles": "dont_know",
           "experience": "random", "service": "reactive"}


def new_round(live_server, raters: int, title: str):
    """A round of the demo organisation with its first `raters` coalition members; their links, in order."""
    from cxroadmap.assessments import links, services
    from cxroadmap.coalition.services import coalition_members
    from cxroadmap.extensions import db
    from cxroadmap.organisations.services import organisation_by_slug
    from cxroadmap.timeutil import today

    with live_server["app"].app_context():
        organisation = organisation_by_slug(live_server["slug"])
        members = coalition_members(organisation, active_only=True)[:raters]
        made = services.open_round(organisation, title, today() + timedelta(days=7), [m.id for m in members])
        db.session.commit()
        return made.id, ["/assess/" + links.token_for(r) for r in made.raters]


def answer(page, answers=ANSWERS, comment=""):
    for item, value in answers.items():
        page.click(f"label[for='{item}-{value}']")
    if comment:
        page.fill("#comment", comment)
    page.click("main button[type=submit]")
    page.wait_for_load_state()


def test_a_rater_answers_on_a_phone_in_dutch(browser, live_server):
    _, (link,) = new_round(live_server, 1, "Telefoonronde")
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844},
                                  locale="nl-NL", has_touch=True, is_mobile=True)
    page = context.new_page()
    page.goto(link)
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.get_by_role("heading", name="Telefoonronde").is_visible()
    assert page.get_by_text("Doelgericht leiderschap").is_visible()
    # Nothing else of the organisation: no navigation, no initiatives, no way into its pages.
    assert page.locator("nav.navbar").count() == 0 and page.locator(f"a[href*='/o/{live_server['slug']}']").count() == 0
    assert not page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    answer(page, comment="Logistiek ziet het anders.")
    assert page.get_by_text("Dank u wel.").is_visible()
    assert page.locator("#leadership-mobilise").is_checked() and page.locator("#know_roles-dont_know").is_checked()
    # Changed later: the new answer replaces the old one.
    page.click("label[for='leadership-operationalise']")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#leadership-operationalise").is_checked()
    context.close()


def test_steering_opens_a_round_watches_it_and_confirms_it(signed_in, browser, live_server):
    slug = live_server["slug"]
    page = signed_in("steering")
    page.goto(f"/o/{slug}/maturity")
    page.click("text=Open a round")
    page.fill("#title", "Winter check")
    page.click("main form button[type=submit]")
    page.wait_for_url(re.compile(r".*/assessments/\d+$"))
    invited = int(re.search(r"0 of (\d+) answered", page.locator("main").inner_text()).group(1))
    assert invited >= 11  # every active coalition member, as the form proposed
    round_url = page.url

    links = []
    for row in range(3):
        page.goto(round_url)
        page.locator("a:has-text('Link')").nth(row).click()
        links.append(page.locator("#rater-link").input_value())
    assert all(re.fullmatch(r"http://127\.0\.0\.1:\d+/assess/[A-Za-z0-9_-]{43}", link) for link in links)

    rater = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    for number, link in enumerate(links):
        phone = rater.new_page()
        phone.goto(link)
        answer(phone, {**ANSWERS, "engagement": ("ignore", "explore", "operationalise")[number]},
               comment=f"Comment number {number}.")
        assert phone.get_by_text("Thank you.").is_visible()
        phone.close()
    rater.close()

    page.goto(round_url)
    assert page.get_by_text(f"3 of {invited} answered").is_visible()
    assert page.get_by_text("The answers suggest: Mobilise").is_visible()
    assert page.get_by_text("Comment number 1.").is_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("text=Close the round now")
    page.wait_for_load_state()
    assert page.get_by_text("The round is closed").is_visible()
    page.select_option("#stage", "explore")
    page.fill("#reason", "The board saw the journey map work this month.")
    page.click("main form[action$='/confirm'] button[type=submit]")
    page.wait_for_load_state()
    assert page.get_by_text("Confirmed:").first.is_visible()
    assert page.get_by_text("The board saw the journey map work this month.").is_visible()

    page.goto(f"/o/{slug}/maturity")
    assert page.locator("table").get_by_text("Winter check").is_visible()
    assert page.get_by_text("Overruled by steering: The board saw the journey map work this month.").is_visible()


def test_the_raters_pages_have_no_serious_accessibility_violations(browser, live_server):
    from axe_playwright_python.sync_playwright import Axe

    from tests.e2e.test_accessibility import serious

    _, (link,) = new_round(live_server, 1, "Toegankelijk")
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844})
    page = context.new_page()
    for path in (link, link + "?lang=nl", "/assess/not-a-link"):
        page.goto(path)
        assert serious(Axe().run(page)) == [], path
    context.close()
