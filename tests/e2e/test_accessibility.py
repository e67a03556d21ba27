"""axe-core on every page: no serious or critical accessibility violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    "/", "/account", "/account/two-factor", "/o/{slug}/", "/o/{slug}/dashboard", "/o/{slug}/maturity",
    "/o/{slug}/readiness", "/o/{slug}/initiatives", "/o/{slug}/initiatives?health=red&sort=due_date",
    "/o/{slug}/initiatives/INIT-4", "/o/{slug}/initiatives/INIT-4/edit", "/o/{slug}/initiatives/new",
    "/o/{slug}/initiatives/INIT-4/benefits/new", "/o/{slug}/timeline", "/o/{slug}/meetings",
    "/o/{slug}/meetings/2", "/o/{slug}/coalition", "/o/{slug}/coalition/new", "/o/{slug}/teams",
    "/o/{slug}/teams/1", "/o/{slug}/teams/new", "/o/{slug}/reports", "/o/{slug}/reports/current/roadmap.html",
    "/o/{slug}/reports/current/summary.html", "/o/{slug}/members", "/o/{slug}/audit",
    "/o/{slug}/settings", "/organisations/new", "/o/{slug}/initiatives/import", "/o/{slug}/settings/import",
    "/o/{slug}/journey", "/o/{slug}/journey?touchpoint=invoice",
    "/o/{slug}/journey/stages", "/o/{slug}/journey/touchpoints/new",
    "/o/{slug}/journey/touchpoints/on-site-before-10", "/o/{slug}/journey/touchpoints/on-site-before-10/edit",
    "/o/{slug}/kpis", "/o/{slug}/kpis/NPS-REL", "/o/{slug}/kpis/new", "/o/{slug}/kpis/OTD-10/edit",
    "/o/{slug}/notifications", "/password/forgot",
    "/o/{slug}/assessments", "/o/{slug}/assessments/1", "/o/{slug}/assessments/1/raters/1/link",
    "/o/{slug}/surveys", "/o/{slug}/surveys/1", "/o/{slug}/surveys/2", "/o/{slug}/surveys/2/edit",
    "/o/{slug}/surveys/new", "/o/{slug}/surveys/privacy", "/o/{slug}/surveys/suppressions",
]


@pytest.fixture(scope="module")
def admin_page(browser, live_server):
    from cxroadmap.accounts.services import add_membership, create_user
    from cxroadmap.extensions import db
    from cxroadmap.organisations.services import organisation_by_slug

    with live_server["app"].app_context():
        create_user("ada.admin@example.com", "Ada Admin", "a long test passphrase 42", site_admin=True)
        add_membership(organisation_by_slug(live_server["slug"]), "ada.admin@example.com", "admin")
        db.session.commit()
    context = browser.new_context(base_url=live_server["url"])
    page = context.new_page()
    page.goto("/login")
    page.fill("#email", "ada.admin@example.com")
    page.fill("#password", "a long test passphrase 42")
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    yield page
    context.close()


def serious(results) -> list[str]:
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in results.response["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", PAGES)
def test_no_serious_accessibility_violations(admin_page, live_server, path):
    response = admin_page.goto(path.format(slug=live_server["slug"]))
    assert response.status == 200
    assert serious(Axe().run(admin_page)) == []


def test_the_sign_in_page_too(browser, live_server):
    context = browser.new_context(base_url=live_server["url"])
    page = context.new_page()
    page.goto("/login")
    assert serious(Axe().run(page)) == []
    context.close()


def test_a_surveys_answer_page_too(browser, live_server):
    from sqlalchemy import select

    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with live_server["app"].app_context():
        codes = list(db.session.scalars(select(Survey.code)))
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844})
    page = context.new_page()
    for code in codes:
        for language in ("en", "nl"):
            page.goto(f"/f/{code}?lang={language}")
            assert serious(Axe().run(page)) == [], (code, language)
    context.close()
