"""Signing in and out, sessions that end on the server, redirects, CSRF, rate limits and two-factor codes."""

import uuid
from datetime import timedelta

import pyotp
import pytest
import redis

from cxroadmap import create_app
from cxroadmap.accounts.models import User, UserSession
from cxroadmap.accounts.services import create_user
from cxroadmap.audit.models import AuditEvent
from cxroadmap.coalition.services import add_member
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow
from tests.conftest import config_for
from tests.factories import PASSWORD, MembershipFactory, OrganisationFactory, UserFactory
from tests.helpers import field_error, page_text


def sign_in_form(client, email, password=PASSWORD, next=None):
    data = {"email": email, "password": password}
    if next is not None:
        data["next"] = next
    return client.post("/login", data=data)


def member(role="viewer", **fields):
    organisation = OrganisationFactory(slug=fields.pop("slug", None) or f"org-{uuid.uuid4().hex[:6]}")
    user = UserFactory(**fields)
    MembershipFactory(user=user, organisation_id=organisation.id, role=role)
    return user, organisation


def events(action):
    return db.session.scalars(db.select(AuditEvent).where(AuditEvent.action == action)).all()


def test_a_member_of_one_organisation_goes_straight_to_it(anonymous):
    user, organisation = member()
    response = sign_in_form(anonymous, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert anonymous.get("/").headers["Location"] == f"/o/{organisation.slug}/"
    assert events("sign_in")[0].actor == user.name


def test_a_member_of_several_organisations_picks_one(anonymous):
    user, first = member()
    second = OrganisationFactory(name="Second Org")
    MembershipFactory(user=user, organisation_id=second.id, role="steering")
    sign_in_form(anonymous, user.email)
    text = page_text(anonymous.get("/"))
    assert first.name in text and "Second Org" in text and "Steering committee" in text


def test_wrong_password_and_unknown_email_get_the_same_answer(anonymous):
    user, _ = member()
    wrong = sign_in_form(anonymous, user.email, "not the password at all")
    unknown = sign_in_form(anonymous, "nobody@example.com", "not the password at all")
    assert wrong.status_code == unknown.status_code == 401
    assert "The email or password is not right." in page_text(wrong)
    assert page_text(wrong).replace(user.email, "X") == page_text(unknown).replace("nobody@example.com", "X")
    assert {e.actor for e in events("sign_in_failed")} == {user.email, "nobody@example.com"}


def test_a_deactivated_account_cannot_sign_in(anonymous):
    user, _ = member(active=False)
    assert sign_in_form(anonymous, user.email).status_code == 401


def test_pages_need_a_signed_in_user(anonymous):
    _, organisation = member()
    response = anonymous.get(f"/o/{organisation.slug}/initiatives?health=red")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/login?next=/o/{organisation.slug}/initiatives?health%3Dred"
    assert anonymous.post(f"/o/{organisation.slug}/teams/new").headers["Location"] == "/login"
    assert anonymous.get(f"/o/{organisation.slug}/").headers["Location"] == f"/login?next=/o/{organisation.slug}/"


@pytest.mark.parametrize("target, expected", [
    ("/o/acme/initiatives?health=red", "/o/acme/initiatives?health=red"),
    ("https://evil.example/", "/"), ("//evil.example/", "/"), ("/\\evil.example", "/"),
    ("javascript:alert(1)", "/"), ("http:/evil.example", "/"), ("/\r\nSet-Cookie: x=1", "/"),
    ("", "/"), ("relative/path", "/"), ("\\\\evil.example", "/"),
])
def test_after_sign_in_only_our_own_paths(anonymous, target, expected):
    user, _ = member()
    response = sign_in_form(anonymous, user.email, next=target)
    assert response.status_code == 302
    assert response.headers["Location"] == expected


def test_sign_in_gives_a_new_session_identity(app, anonymous):
    user, organisation = member()
    anonymous.get("/login")
    with anonymous.session_transaction() as session:
        session["planted"] = "by an attacker"
    sign_in_form(anonymous, user.email)
    with anonymous.session_transaction() as session:
        assert "planted" not in session
        token = session["_user_id"]
    assert db.session.scalar(db.select(db.func.count()).select_from(UserSession)) == 1
    assert len(token) >= 40


def _cookie(client):
    return client.get_cookie("cxroadmap").value


def _with_cookie(app, value):
    browser = app.test_client()
    browser.set_cookie("cxroadmap", value)
    return browser


@pytest.mark.parametrize("ending", ["sign-out", "password change", "reset", "deactivation"])
def test_ending_a_session_stops_every_copy_of_its_cookie(app, anonymous, runner, ending):
    user, organisation = member()
    sign_in_form(anonymous, user.email)
    copied = _cookie(anonymous)
    overview = f"/o/{organisation.slug}/"
    assert _with_cookie(app, copied).get(overview).status_code == 200
    if ending == "sign-out":
        anonymous.post("/logout")
    elif ending == "password change":
        response = anonymous.post("/account", data={"current_password": PASSWORD,
                                                     "password": "a brand new passphrase 42",
                                                     "confirm": "a brand new passphrase 42"})
        assert response.status_code == 302
        # The browser that changed it carries on in a new session; the copy of the old one does not.
        assert anonymous.get(overview).status_code == 200
    elif ending == "reset":
        result = runner.invoke(args=["users", "reset-password", user.email, "--password-stdin"],
                               input="another long passphrase 7\n")
        assert result.exit_code == 0, result.output
    else:
        assert runner.invoke(args=["users", "deactivate", user.email]).exit_code == 0
    response = _with_cookie(app, copied).get(overview)
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_idle_and_absolute_lifetimes_end_a_session(app, anonymous):
    user, organisation = member()
    sign_in_form(anonymous, user.email)
    record = db.session.scalar(db.select(UserSession))
    record.last_seen_at = utcnow() - timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert anonymous.get(f"/o/{organisation.slug}/").status_code == 302
    sign_in_form(anonymous, user.email)
    record = db.session.scalars(db.select(UserSession).order_by(UserSession.id.desc())).first()
    record.created_at = utcnow() - timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"], minutes=1)
    db.session.commit()
    assert anonymous.get(f"/o/{organisation.slug}/").status_code == 302


def test_sign_out_needs_a_post(client):
    assert client.get("/logout").status_code == 405


def test_cookies_are_httponly_lax_and_secure_over_https(database_url):
    app = create_app(config_for(database_url, SECURE_COOKIES=True))
    with app.app_context():
        user, _ = member()
        browser = app.test_client()
        response = browser.post("/login", data={"email": user.email, "password": PASSWORD},
                                base_url="https://cx.example")
        cookie = response.headers["Set-Cookie"]
        assert cookie.startswith("__Host-cxroadmap=")
        assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
        assert "Strict-Transport-Security" in response.headers


def test_security_headers_on_every_page(client, anonymous):
    for response in (anonymous.get("/login"), client.get("/"), anonymous.get("/nowhere")):
        policy = response.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"):
            assert directive in policy
        assert "unsafe-inline" not in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "same-origin"
        assert "Strict-Transport-Security" not in response.headers  # plain http here


def test_pages_need_no_inline_script_or_style(client):
    organisation = OrganisationFactory()
    for path in ("/", f"/o/{organisation.slug}/", f"/o/{organisation.slug}/initiatives", "/account",
                 "/account/two-factor", f"/o/{organisation.slug}/members"):
        body = client.get(path).get_data(as_text=True)
        assert "<style" not in body and " style=" not in body, path
        assert "<script>" not in body and "<script " not in body.replace('<script src="', ""), path


def test_csrf_is_required_on_every_change(database_url):
    app = create_app(config_for(database_url, WTF_CSRF_ENABLED=True))
    with app.app_context():
        user, organisation = member(role="steering")
        browser = app.test_client()
        page = browser.get("/login").get_data(as_text=True)
        token = page.split('name="csrf_token" type="hidden" value="')[1].split('"')[0]
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 400
        assert browser.post("/login", data={"email": user.email, "password": PASSWORD,
                                            "csrf_token": token}).status_code == 302
        refused = browser.post(f"/o/{organisation.slug}/teams/new", data={"name": "Sneaky"})
        assert refused.status_code == 400
        assert "Sneaky" not in page_text(browser.get(f"/o/{organisation.slug}/teams"))


@pytest.mark.parametrize("storage", ["memory", "redis"])
def test_failed_sign_ins_are_limited_per_account(database_url, storage):
    overrides = {"LOGIN_LIMIT_PER_ACCOUNT": "3 per 15 minutes"}
    if storage == "redis":
        try:
            redis.Redis(host="127.0.0.1", port=6379, socket_connect_timeout=1).ping()
        except redis.RedisError:
            pytest.skip("Redis is not running on 127.0.0.1:6379")
        overrides.update(RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379",
                         RATELIMIT_KEY_PREFIX=f"cxroadmap-test-{uuid.uuid4().hex}")
    app = create_app(config_for(database_url, **overrides))
    with app.app_context():
        user, _ = member()
        browser = app.test_client()
        statuses = [sign_in_form(browser, user.email, "wrong password, again").status_code for _ in range(4)]
        assert statuses == [401, 401, 401, 429]
        # Even the right password is refused while the limit lasts, and the page says why.
        blocked = sign_in_form(browser, user.email)
        assert blocked.status_code == 429
        assert "Too many" in page_text(blocked)
        # Another account from the same address is not locked out by it.
        other, _ = member()
        assert sign_in_form(browser, other.email).status_code == 302


def test_failed_sign_ins_are_limited_per_address(database_url):
    app = create_app(config_for(database_url, LOGIN_LIMIT_PER_ADDRESS="4 per 15 minutes"))
    with app.app_context():
        browser = app.test_client()
        statuses = [sign_in_form(browser, f"guess{n}@example.com", "wrong password, again").status_code
                    for n in range(5)]
        assert statuses == [401, 401, 401, 401, 429]


# -- two-factor ----------------------------------------------------------------------------------------

def enable_two_factor(client):
    client.get("/account/two-factor")
    with client.session_transaction() as session:
        secret = session["totp_setup"]
    response = client.post("/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert response.status_code == 200
    codes = [line.strip() for line in page_text(response).split() if len(line) == 13 and line[6] == "-"]
    assert len(codes) == 10
    return secret, codes


def test_two_factor_sign_in_with_right_wrong_and_reused_codes(app, anonymous):
    user, organisation = member()
    sign_in_form(anonymous, user.email)
    secret, recovery = enable_two_factor(anonymous)
    anonymous.post("/logout")

    assert sign_in_form(anonymous, user.email).headers["Location"].startswith("/login/second-factor")
    # Half-signed-in: nothing but the second step is open.
    assert anonymous.get(f"/o/{organisation.slug}/").headers["Location"] == "/login/second-factor"
    assert anonymous.post("/login/second-factor", data={"code": "000000"}).status_code == 401
    # The code used to switch it on is spent; wait for the next step's code rather than reuse it.
    code = pyotp.TOTP(secret).at(utcnow() + timedelta(seconds=30))
    assert anonymous.post("/login/second-factor", data={"code": code}).status_code == 302
    assert anonymous.get(f"/o/{organisation.slug}/").status_code == 200
    anonymous.post("/logout")

    sign_in_form(anonymous, user.email)
    reused = anonymous.post("/login/second-factor", data={"code": code})
    assert reused.status_code == 401
    assert "used already" in field_error(reused, "code")
    assert anonymous.post("/login/second-factor", data={"code": recovery[0]}).status_code == 302
    anonymous.post("/logout")
    sign_in_form(anonymous, user.email)
    assert anonymous.post("/login/second-factor", data={"code": recovery[0]}).status_code == 401
    db.session.expire_all()
    assert len(db.session.get(User, user.id).recovery_codes) == 9


def test_an_organisation_can_require_two_factor(client_as):
    _, organisation = member()
    organisation.require_two_factor = True
    db.session.commit()
    browser = client_as("viewer", organisation)
    response = browser.get(f"/o/{organisation.slug}/")
    assert response.status_code == 302 and response.headers["Location"] == "/account/two-factor"
    enable_two_factor(browser)
    assert browser.get(f"/o/{organisation.slug}/").status_code == 200


def test_weak_passwords_are_refused(client):
    for password, message in (("short", "at least 12"), ("password1234", "common"), ("aaaaaaaaaaaaaa", "different")):
        response = client.post("/account", data={"current_password": PASSWORD, "password": password,
                                                 "confirm": password})
        assert response.status_code == 422
        assert message in field_error(response, "password")



@pytest.mark.parametrize("variant", ["{local}\x01@{domain}", "\x00{local}@{domain}", "{local}\u200b@{domain}"])
def test_an_email_with_a_control_character_matches_no_account(database_url, variant):
    """Before: each variant counted its own failures, and the right password with it signed in."""
    app = create_app(config_for(database_url, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes"))
    with app.app_context():
        user, _ = member()
        local, domain = user.email.split("@")
        typed = variant.format(local=local, domain=domain)
        assert sign_in_form(app.test_client(), typed).status_code == 401  # even with the right password
        browser = app.test_client()
        for _ in range(3):
            sign_in_form(browser, user.email, "wrong password, again")
        assert sign_in_form(browser, typed).status_code != 302
        assert sign_in_form(browser, user.email).status_code == 429


def test_the_account_limit_counts_the_email_as_it_is_looked_up(database_url):
    app = create_app(config_for(database_url, LOGIN_LIMIT_PER_ACCOUNT="3 per 15 minutes"))
    with app.app_context():
        user, _ = member()
        browser = app.test_client()
        for typed in (user.email, f"  {user.email.upper()}", f"{user.email.title()}\t"):
            assert sign_in_form(browser, typed, "wrong password, again").status_code == 401
        assert sign_in_form(browser, f" {user.email.upper()} ").status_code == 429


@pytest.mark.parametrize("email", ["a-c\x01ontrib@example.com", "nul\x00@example.com", "esc\x1b@example.com"])
def test_an_email_with_a_control_character_is_refused_outright(email):
    with pytest.raises(DomainError) as refusal:
        create_user(email, "Someone", "a long enough passphrase 42")
    assert "email" in refusal.value.errors
    db.session.rollback()
    with pytest.raises(DomainError) as refusal:
        add_member(OrganisationFactory(), "Someone", email)
    assert "email" in refusal.value.errors
