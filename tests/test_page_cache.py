"""What every organisation page shares is worked out once and kept: the organisation, its data stamp, the session
and the membership come in one query, and the bar, the reader's menu and the page body are kept under what they
show; the overview and the dashboard are kept whole for each browser session (accounts/page_cache.py). What is
kept must never cross readers, roles, names, languages or sessions, and never outlive what it shows."""

import re
from datetime import timedelta

import pytest

from cxroadmap import create_app
from cxroadmap.accounts.models import Membership, UserSession
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow
from tests.conftest import config_for, sign_in
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory, TeamFactory, UserFactory
from tests.helpers import page_text

SIGN_OUT_TOKEN = re.compile(r'action="/logout"><input type="hidden" name="csrf_token" value="([^"]+)"')


KEPT_CHECK = "SELECT user_session.ended_at"  # the one query that answers a repeated view from what was kept


def _statements(count_queries, browser, url):
    with count_queries:
        response = browser.get(url)
    return response, count_queries.statements


def _kept(browser, url, count_queries) -> None:
    """View the page until it is answered from what was kept."""
    for _ in range(3):
        response, statements = _statements(count_queries, browser, url)
        assert response.status_code == 200
    assert len(statements) == 1 and statements[0].startswith(KEPT_CHECK), statements


@pytest.mark.parametrize("page", ["/o/{slug}/teams", "/o/{slug}/initiatives"])
def test_an_organisation_page_reads_organisation_stamp_session_and_membership_in_one_query(client, count_queries,
                                                                                          page):
    organisation = OrganisationFactory()
    url = page.format(slug=organisation.slug)
    client.get(url)
    response, statements = _statements(count_queries, client, url)
    assert response.status_code == 200
    first = statements[0]
    for table in ("organisation_data_version", "user_session", "user_account", "membership"):
        assert table in first
    assert not any("FROM user_session" in s or "FROM membership" in s for s in statements[1:])


@pytest.mark.parametrize("page", ["/o/{slug}/", "/o/{slug}/dashboard"])
def test_a_repeated_view_is_answered_whole_after_one_query(client, count_queries, page):
    organisation = OrganisationFactory()
    TeamFactory(organisation=organisation, name="Billing desk")
    url = page.format(slug=organisation.slug)
    client.get(url)  # its answer also gives the session its CSRF token (a cookie): not kept
    through = client.get(url).get_data(as_text=True)  # kept
    response, statements = _statements(count_queries, client, url)
    assert len(statements) == 1 and statements[0].startswith(KEPT_CHECK), statements
    assert response.get_data(as_text=True) == through
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Security-Policy"].startswith("default-src 'self'")


@pytest.mark.parametrize("ending", ["signed out", "ended elsewhere", "deactivated", "idle", "too old",
                                    "second factor pending"])
def test_a_kept_page_is_never_shown_to_a_session_that_ended(client_as, count_queries, ending):
    organisation = OrganisationFactory()
    browser = client_as("viewer", organisation)
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    record = db.session.scalar(db.select(UserSession).where(UserSession.user_id == browser.user.id))
    if ending == "signed out":
        assert browser.post("/logout").status_code == 302
    elif ending == "ended elsewhere":
        record.ended_at = utcnow()
    elif ending == "deactivated":
        browser.user.active = False
    elif ending == "idle":
        record.last_seen_at = utcnow() - timedelta(days=1)
    elif ending == "too old":
        record.created_at = utcnow() - timedelta(days=2)
    else:
        record.pending_second_factor = True
    db.session.commit()
    response = browser.get(url)
    assert response.status_code == 302
    assert response.headers["Location"].startswith(("/login", "/account/two-factor", "/login/second-factor"))


def test_a_kept_page_follows_the_membership(client_as, count_queries):
    organisation = OrganisationFactory()
    browser = client_as("steering", organisation)
    url, audit = f"/o/{organisation.slug}/dashboard", f'href="/o/{organisation.slug}/audit"'
    _kept(browser, url, count_queries)
    assert audit in browser.get(url).get_data(as_text=True)
    membership = db.session.scalar(db.select(Membership).where(Membership.user_id == browser.user.id))
    membership.role = "viewer"
    db.session.commit()
    assert audit not in browser.get(url).get_data(as_text=True)
    db.session.delete(membership)
    db.session.commit()
    assert browser.get(url).status_code == 404


def test_a_kept_page_checks_the_role_itself(client_as, count_queries):
    # A role changed behind the data stamp's back (a bulk update writes no stamp): the check compares the role.
    organisation = OrganisationFactory()
    browser = client_as("admin", organisation)
    url, audit = f"/o/{organisation.slug}/dashboard", f'href="/o/{organisation.slug}/audit"'
    _kept(browser, url, count_queries)
    db.session.execute(db.update(Membership).where(Membership.user_id == browser.user.id).values(role="viewer"))
    db.session.commit()
    assert audit not in browser.get(url).get_data(as_text=True)


def test_a_kept_page_needs_the_second_factor_its_organisation_asks_for(client_as, count_queries):
    organisation = OrganisationFactory(require_two_factor=True)
    browser = client_as("viewer", organisation, totp_enabled=True, totp_secret="JBSWY3DPEHPK3PXP")
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    browser.user.totp_enabled = False  # turned off on the account page: the session goes on
    db.session.commit()
    response = browser.get(url)
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"


def test_a_kept_page_shows_the_next_change_and_a_waiting_message(client_as, count_queries):
    organisation = OrganisationFactory()
    browser = client_as("viewer", organisation)
    url = f"/o/{organisation.slug}/"
    _kept(browser, url, count_queries)
    assert "Rescue the invoice flow" not in page_text(browser.get(url))
    InitiativeFactory(organisation=organisation, title="Rescue the invoice flow", health="red")
    assert "Rescue the invoice flow" in page_text(browser.get(url))  # under "Needs attention"
    _kept(browser, url, count_queries)
    with browser.session_transaction() as session:
        session["_flashes"] = [("success", "Saved a thing worth saying.")]
    assert "Saved a thing worth saying." in page_text(browser.get(url))
    assert "Saved a thing worth saying." not in page_text(browser.get(url))


def test_a_kept_page_is_not_answered_to_another_session_or_address(client_as, count_queries):
    organisation, other = OrganisationFactory(), OrganisationFactory()
    browser = client_as("viewer", organisation)
    _kept(browser, f"/o/{organisation.slug}/dashboard", count_queries)
    assert browser.get(f"/o/{other.slug}/dashboard").status_code == 404
    assert browser.get(f"/o/{organisation.slug}/dashboard?anything=1").status_code == 200
    stranger = client_as("viewer", other)
    assert stranger.get(f"/o/{organisation.slug}/dashboard").status_code == 404


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


def test_the_bar_follows_renames_and_the_readers_language(client_as, count_queries):
    organisation = OrganisationFactory(name="Alpha B.V.")
    browser = client_as("steering", organisation, name="Ann Example")
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    shown = page_text(browser.get(url))
    assert "Ann Example" in shown and "Steering committee of Alpha B.V." in shown

    organisation.name, browser.user.name = "Beta N.V.", "Ann Renamed"
    db.session.commit()
    shown = page_text(browser.get(url))
    assert "Ann Renamed" in shown and "Steering committee of Beta N.V." in shown
    assert "Alpha" not in shown and "Ann Example" not in shown
    _kept(browser, url, count_queries)

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
    for browser in browsers:
        browser.get(url), browser.get(url)  # the second answer is kept for the third
    tokens = [SIGN_OUT_TOKEN.search(b.get(url).get_data(as_text=True)).group(1) for b in browsers]
    assert tokens[0] != tokens[1]
    assert SIGN_OUT_TOKEN.search(browsers[0].get(url).get_data(as_text=True)) is not None

    assert browsers[1].post("/logout", data={"csrf_token": tokens[0]}).status_code == 400
    assert browsers[0].post("/logout", data={"csrf_token": tokens[0]}).status_code == 302
    assert browsers[0].get(url).status_code == 302  # signed out: to the sign-in page
    assert browsers[1].get(url).status_code == 200


def test_a_kept_page_still_notes_the_sessions_activity(client_as, count_queries):
    organisation = OrganisationFactory()
    browser = client_as("viewer", organisation)
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    record = db.session.scalar(db.select(UserSession).where(UserSession.user_id == browser.user.id))
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    record.last_seen_at = two_minutes_ago
    db.session.commit()
    assert browser.get(url).status_code == 200
    db.session.expire_all()
    seen = db.session.scalar(db.select(UserSession.last_seen_at).where(UserSession.id == record.id))
    assert seen.replace(tzinfo=None) > two_minutes_ago.replace(tzinfo=None) + timedelta(seconds=90)


def test_a_cookie_that_does_not_verify_is_no_session(client_as, count_queries, app):
    organisation = OrganisationFactory()
    browser = client_as("viewer", organisation)
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    good = browser.get_cookie("cxroadmap").value
    stranger = app.test_client()
    for forged in (good[:-2] + ("AA" if not good.endswith("AA") else "BB"), "garbage", ""):
        stranger.set_cookie("cxroadmap", forged)
        response = stranger.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_no_more_answers_are_kept_than_configured(app, database_url):
    small = create_app(config_for(database_url, KEPT_PAGES=2))
    organisation = OrganisationFactory()
    browser = small.test_client()
    user = UserFactory()
    MembershipFactory(user=user, organisation_id=organisation.id, role="viewer")
    sign_in(browser, user)
    kept = small.extensions["cxroadmap_page_cache"]
    for path in ("/", "/dashboard", "/?view=1", "/dashboard?view=2"):
        for _ in range(2):
            assert browser.get(f"/o/{organisation.slug}{path}").status_code == 200
    assert len(kept.pages) == 2 and kept.cached_bytes == sum(len(page.body) for page in kept.pages.values())
    assert [key[2:4] for key in kept.pages] == [("/o/" + organisation.slug + "/", "view=1"),
                                                 ("/o/" + organisation.slug + "/dashboard", "view=2")]


def test_the_initiatives_are_counted_once_for_each_version_of_the_data(client, count_queries):
    # Whether downloads go to the background asks how many initiatives there are: not again on every page.
    organisation = OrganisationFactory()
    InitiativeFactory(organisation=organisation)
    url = f"/o/{organisation.slug}/initiatives"
    client.get(url)
    response, statements = _statements(count_queries, client, url)
    assert response.status_code == 200
    assert sum("count(" in s.lower() for s in statements) == 0  # the list's own count is its kept order's length
    InitiativeFactory(organisation=organisation)
    response, statements = _statements(count_queries, client, url)
    assert sum("count(" in s.lower() for s in statements) == 1  # a new version of the data: counted again
    assert "2 initiatives" in page_text(response)


def test_a_kept_page_outlives_a_dropped_database_connection(client, count_queries, app):
    """On a database server the check runs on a connection held for it: one the server dropped (a restart) sends
    that view the normal way, with the same page, and the views after it are answered from what was kept again."""
    if db.engine.dialect.name == "sqlite":
        pytest.skip("SQLite's check takes a connection each time; none is held")
    organisation = OrganisationFactory()
    TeamFactory(organisation=organisation, name="Billing desk")
    url = f"/o/{organisation.slug}/dashboard"
    _kept(client, url, count_queries)
    kept = page_text(client.get(url))
    held = app.extensions["cxroadmap_page_cache"].held.held
    assert held
    for connection in held:
        connection.connection.dbapi_connection.close()  # what a restarted server leaves behind
    response = client.get(url)
    assert response.status_code == 200 and page_text(response) == kept
    _kept(client, url, count_queries)


@pytest.mark.parametrize(("column", "value"), [("name", "Renamed Reader"), ("locale", "nl"), ("site_admin", True),
                                               ("totp_enabled", True)])
def test_every_fact_of_the_reader_a_kept_page_depends_on_is_checked(client_as, count_queries, column, value):
    # Changed behind the data stamp's back (a bulk update writes none): the one check reads it and goes the normal way.
    from cxroadmap.accounts.models import User
    from cxroadmap.accounts.page_cache import DEPENDS_ON

    assert getattr(User, column) in DEPENDS_ON
    organisation = OrganisationFactory()
    browser = client_as("viewer", organisation)
    url = f"/o/{organisation.slug}/dashboard"
    _kept(browser, url, count_queries)
    db.session.execute(db.update(User).where(User.id == browser.user.id).values({column: value}))
    db.session.commit()
    _response, statements = _statements(count_queries, browser, url)
    assert len(statements) > 1  # not answered from what was kept
