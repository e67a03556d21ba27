"""Signing in through a real OpenID provider: accounts found, linked and made, roles from groups, and every
refusal a page that says why."""

import time

from sqlalchemy import select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.sso.models import LinkedIdentity
from tests.factories import UserFactory
from tests.sso.conftest import sso_sign_in
from tests.sso.provider import new_key


def _actions() -> list[str]:
    return [event.action for event in db.session.scalars(select(AuditEvent).order_by(AuditEvent.id))]


def _role(email: str, organisation) -> str | None:
    return db.session.scalar(select(Membership.role).join(User).where(
        User.email == email, Membership.organisation_id == organisation.id))


def test_a_new_person_gets_an_account_and_the_role_their_group_gives(app, oidc, idp):
    oidc.account("new-1", "nina@example.org", groups=["cx-steering"], name="Nina Jansen")
    browser = app.test_client()
    response = sso_sign_in(browser, oidc, idp, "new-1")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    user = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    assert user.name == "Nina Jansen" and user.password_hash is None
    assert _role("nina@example.org", idp.organisation) == "steering"
    page = browser.get("/o/van-dijk/")
    assert page.status_code == 200 and "Van Dijk Onderdelen" in page.get_data(as_text=True)
    assert {"sso_account_created", "sso_linked", "sso_role_from_groups", "sso_sign_in"} <= set(_actions())


def test_the_role_follows_the_groups_at_every_sign_in(app, oidc, idp):
    oidc.account("mover", "mo@example.org", groups=["cx-steering", "cx-all"])
    sso_sign_in(app.test_client(), oidc, idp, "mover")
    assert _role("mo@example.org", idp.organisation) == "steering"
    oidc.account("mover", "mo@example.org", groups=["cx-all"])
    sso_sign_in(app.test_client(), oidc, idp, "mover")
    assert _role("mo@example.org", idp.organisation) == "viewer"
    oidc.account("mover", "mo@example.org", groups=[])
    sso_sign_in(app.test_client(), oidc, idp, "mover")
    assert _role("mo@example.org", idp.organisation) is None
    assert _actions().count("sso_role_from_groups") == 3


def test_an_existing_account_is_linked_once_by_verified_email(app, oidc, idp):
    existing = UserFactory(email="piet@example.org", name="Piet")
    oidc.account("piet-sub", "piet@example.org", groups=["cx-all"])
    sso_sign_in(app.test_client(), oidc, idp, "piet-sub")
    link = db.session.scalar(select(LinkedIdentity))
    assert link.user_id == existing.id and link.subject == "piet-sub"
    # Later sign-ins find them by their subject, whatever address the provider gives them then.
    oidc.account("piet-sub", "p.devries@example.org", groups=["cx-all"])
    response = sso_sign_in(app.test_client(), oidc, idp, "piet-sub")
    assert response.status_code == 302
    assert db.session.scalar(select(User.id).where(User.email == "p.devries@example.org")) is None
    # Someone else at the provider with Piet's address is not let into his account.
    oidc.account("impostor", "piet@example.org", groups=["cx-all"])
    response = sso_sign_in(app.test_client(), oidc, idp, "impostor")
    assert response.status_code == 403 and "linked to another identity" in response.get_data(as_text=True)
    assert _actions().count("sso_linked") == 1


def _refused(response, words: str, reason: str):
    text = response.get_data(as_text=True)
    assert response.status_code == 403, text[:500]
    assert words in text, text[:2000]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "sso_refused")).changes["reason"][1] \
        == reason
    assert db.session.scalar(select(LinkedIdentity.id)) is None or reason in ("linked", "inactive")


def test_an_unverified_email_is_refused(app, oidc, idp):
    oidc.account("unverified", "uma@example.org", email_verified=False)
    _refused(sso_sign_in(app.test_client(), oidc, idp, "unverified"), "has not confirmed your email", "unverified")
    assert db.session.scalar(select(User.id).where(User.email == "uma@example.org")) is None


def test_a_domain_not_allowed_is_refused(app, oidc, idp):
    oidc.account("outsider", "olga@elsewhere.net")
    _refused(sso_sign_in(app.test_client(), oidc, idp, "outsider"), "not one of the domains", "domain")


def test_a_wrong_audience_is_refused(app, oidc, idp):
    oidc.account("aud", "aud@example.org")
    oidc.tamper(aud="another-application")
    _refused(sso_sign_in(app.test_client(), oidc, idp, "aud"), "meant for another application", "audience")


def test_an_expired_id_token_is_refused(app, oidc, idp):
    oidc.account("late", "late@example.org")
    oidc.tamper(exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)
    _refused(sso_sign_in(app.test_client(), oidc, idp, "late"), "had expired", "expired")


def test_a_nonce_mismatch_is_refused(app, oidc, idp):
    oidc.account("nonce", "nonce@example.org")
    oidc.tamper(nonce="from-another-sign-in")
    _refused(sso_sign_in(app.test_client(), oidc, idp, "nonce"), "belonged to another sign-in", "nonce")


def test_a_forged_id_token_is_refused(app, oidc, idp):
    oidc.account("forged", "forged@example.org")
    oidc.tamper(forge=True)
    _refused(sso_sign_in(app.test_client(), oidc, idp, "forged"), "not signed by it", "signature")


def test_another_issuer_in_the_token_is_refused(app, oidc, idp):
    oidc.account("iss", "iss@example.org")
    oidc.tamper(iss="https://evil.example.net")
    _refused(sso_sign_in(app.test_client(), oidc, idp, "iss"), "another sign-in service", "issuer")


def test_a_replayed_or_unknown_state_is_refused(app, oidc, idp):
    oidc.account("replay", "replay@example.org")
    browser = app.test_client()
    start = browser.get(f"/sso/{idp.id}/start")
    back = oidc.through(start.headers["Location"], "replay")
    assert browser.get(back).status_code == 302
    browser.post("/logout")
    again = browser.get(back)
    assert again.status_code == 403 and "has been used already" in again.get_data(as_text=True)
    # A state this browser never started.
    stranger = app.test_client()
    stranger.get(f"/sso/{idp.id}/start")
    response = stranger.get(back.replace("state=", "state=x"))
    assert response.status_code == 403 and "Start again" in response.get_data(as_text=True)


def test_a_rotated_key_is_fetched_again(app, oidc, idp):
    oidc.account("rotor", "rotor@example.org", groups=["cx-all"])
    assert sso_sign_in(app.test_client(), oidc, idp, "rotor").status_code == 302
    oidc.restart([new_key("second")])
    try:
        assert sso_sign_in(app.test_client(), oidc, idp, "rotor").status_code == 302
    finally:
        oidc.restart([new_key("first")])
    assert _actions().count("sso_sign_in") == 2


def test_the_refusal_speaks_dutch_to_a_dutch_browser(app, oidc, idp):
    oidc.account("nl", "nl@elsewhere.net")
    browser = app.test_client()
    browser.environ_base["HTTP_ACCEPT_LANGUAGE"] = "nl"
    response = sso_sign_in(browser, oidc, idp, "nl")
    text = response.get_data(as_text=True)
    assert response.status_code == 403 and "U bent niet ingelogd" in text and "niet bij de domeinen" in text


def test_a_person_deactivated_here_is_refused(app, oidc, idp):
    oidc.account("gone", "gone@example.org", groups=["cx-all"])
    sso_sign_in(app.test_client(), oidc, idp, "gone")
    user = db.session.scalar(select(User).where(User.email == "gone@example.org"))
    user.active = False
    db.session.commit()
    _refused(sso_sign_in(app.test_client(), oidc, idp, "gone"), "has been deactivated", "inactive")
