"""What every organisation page shares is worked out once and kept: the organisation, its data stamp, the session
and the membership come in one query, and the bar, the reader's menu and the page body are kept under what they
show. What is kept must never cross readers, roles, names, languages or sessions."""

import re

from cxroadmap import create_app
from cxroadmap.extensions import db
from tests.conftest import config_for, sign_in
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import page_text

SIGN_OUT_TOKEN = re.compile(r'action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)"')


def test_a_kept_page_reads_the_database_once(client, count_queries):
    organisation = OrganisationFactory()
    url = f"/o/{organisation.slug}/dashboard"
    assert client.get(url).status_code == 200  # the body is worked out and kept
    with count_queries:
        assert client.get(url).status_code == 200
    assert count_queries.count == 1, count_queries.statements
    (statement,) = count_queries.statements
    for table in ("organisation_data_version", "user_session", "user_account", "membership"):
        assert table in statement


def test_each_role_sees_its_own_menus_on_the_same_page(client_as):
    organisation = OrganisationFactory()
    admin, viewer = client_as("admin", organisation), client_as("viewer", organisation)
    url, audit, members = (f"/o/{organisation.slug}/dashboard", f'href="/o/{organisation.slug}/audit"',
                           f'href="/o/{organisation.slug}/members"')
    for _ in range(2):  # in turns, so that each is answered from what the other's view kept
        shown = admin.get(url).get_data(as_text=True)
        assert audit in shown and members in shown
        shown = viewer.get(url).get_data(as_text=True)
        assert audit not in shown and members not in shown
        assert "Viewer of " in page_text(viewer.get(url))


def test_the_bar_follows_renames_and_the_readers_language(client_as):
    organisation = OrganisationFactory(name="Alpha B.V.")
    browser = client_as("steering", organisation, name="Ann Example")
    url = f"/o/{organisation.slug}/dashboard"
    shown = page_text(browser.get(url))
    assert "Ann Example" in shown and "Steering committee of Alpha B.V." in shown

    organisation.name, browser.user.name = "Beta N.V.", "Ann Renamed"
    db.session.commit()
    shown = page_text(browser.get(url))
    assert "Ann Renamed" in shown and "Steering committee of Beta N.V." in shown
    assert "Alpha" not in shown and "Ann Example" not in shown

    browser.user.locale = "nl"
    db.session.commit()
    response = browser.get(url)
    shown = page_text(response)
    assert '<html lang="nl">' in response.get_data(as_text=True)
    assert "Overzicht" in shown and "Stuurgroep van Beta N.V." in shown and "Steering committee" not in shown


def test_each_session_signs_out_with_its_own_token_from_a_kept_page(app, database_url):
    checked = create_app(config_for(database_url, WTF_CSRF_ENABLED=True))
    organisation = OrganisationFactory()
    browsers = []
    for _ in range(2):
        user = UserFactory()
        MembershipFactory(user=user, organisation_id=organisation.id, role="viewer")
        browser = checked.test_client()  # each request in an app context of its own, as when served
        sign_in(browser, user)
        browsers.append(browser)
    url = f"/o/{organisation.slug}/dashboard"
    tokens = [SIGN_OUT_TOKEN.search(b.get(url).get_data(as_text=True)).group(1) for b in browsers]
    assert tokens[0] != tokens[1]
    assert SIGN_OUT_TOKEN.search(browsers[0].get(url).get_data(as_text=True)) is not None

    assert browsers[1].post("/logout", data={"csrf_token": tokens[0]}).status_code == 400
    assert browsers[0].post("/logout", data={"csrf_token": tokens[0]}).status_code == 302
    assert browsers[0].get(url).status_code == 302  # signed out: to the sign-in page
    assert browsers[1].get(url).status_code == 200
