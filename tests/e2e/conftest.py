"""Browser tests: the app served on localhost with a database of its own, driven in Debian's Chromium."""

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CXROADMAP_CHROMIUM", "/usr/bin/chromium")
HAVE_BROWSER = shutil.which(CHROMIUM) is not None

if not HAVE_BROWSER:
    pytest.skip(f"browser tests skipped: {CHROMIUM} is not installed (apt-get install chromium)",
                allow_module_level=True)

PASSWORD = "a long test passphrase 42"
USERS = {"steering": "stella@example.com", "contributor": "carl@example.com", "viewer": "vic@example.com"}
# A steering member who reads Dutch: the flow is walked once more in Dutch with this account.
DUTCH_STEERING = "jan@example.com"


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """The app on a free port of 127.0.0.1, with the demo organisation and one user per role."""
    from flask_migrate import upgrade

    from cxroadmap import create_app
    from cxroadmap.accounts.services import add_membership, create_user
    from cxroadmap.coalition.services import add_member
    from cxroadmap.demo import seed_demo
    from cxroadmap.extensions import db
    from tests.conftest import config_for

    folder = tmp_path_factory.mktemp("live")
    app = create_app(config_for(f"sqlite:///{folder / 'live.sqlite'}", WTF_CSRF_ENABLED=True, TESTING=False))
    app.instance_path = str(folder)
    with app.app_context():
        upgrade()
        organisation = seed_demo()
        for role, email in USERS.items():
            create_user(email, role.title(), PASSWORD)
            add_membership(organisation, email, role)
        add_member(organisation, "Carl Contributor", USERS["contributor"], "Logistics", "Planner", "member")
        create_user(DUTCH_STEERING, "Jan de Vries", PASSWORD)
        add_membership(organisation, DUTCH_STEERING, "steering")
        db.session.commit()
        slug = organisation.slug
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield {"url": f"http://127.0.0.1:{server.server_port}", "slug": slug, "app": app}
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run"])
        yield chromium
        chromium.close()


@pytest.fixture
def signed_in(browser, live_server):
    """signed_in(role) -> a page of a fresh browser context, signed in with that role."""
    contexts, languages = [], []

    def make(role: str, viewport=None, locale: str | None = None):
        context = browser.new_context(base_url=live_server["url"], accept_downloads=True,
                                      viewport=viewport or {"width": 1280, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.goto("/login")
        page.fill("#email", USERS[role])
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_load_state()
        if locale:  # the language chosen on the account page, for this account only while the page lives
            page.goto("/account")
            page.select_option("#locale", locale)
            page.click("form[action$='/account/language'] button[type=submit]")
            page.wait_for_load_state()
            languages.append(page)
        return page

    yield make
    for page in languages:  # back to following the organisation, for the tests that come after
        page.goto("/account")
        page.select_option("#locale", "")
        page.click("form[action$='/account/language'] button[type=submit]")
        page.wait_for_load_state()
    for context in contexts:
        context.close()


def pytest_collection_modifyitems(items):
    # Every browser test is marked, so that `pytest -m "not e2e"` runs the core suite alone.
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)
