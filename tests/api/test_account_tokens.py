"""Tokens on the account page: made with a name, shown once, listed with their last use, revoked."""

from sqlalchemy import select

from cxroadmap.accounts.models import AccessToken
from cxroadmap.extensions import db
from tests.factories import OrganisationFactory


def test_a_token_is_made_shown_once_used_and_revoked(app, client_as):
    home = OrganisationFactory(slug="home", name="Home Co")
    browser = client_as("steering", home)
    made = browser.post("/account/tokens", data={"name": "Survey tool", "organisation": "home",
                                                 "access": "write", "days": "30"})
    assert made.status_code == 200
    page = made.get_data(as_text=True)
    secret = page.split('id="new-token">', 1)[1].split("<", 1)[0]
    assert secret.startswith("cxr_")
    again = browser.get("/account").get_data(as_text=True)
    assert secret not in again and "Survey tool" in again and "Home Co" in again and "never" in again
    api = app.test_client()
    assert api.get("/api/v1/o/home", headers={"Authorization": f"Bearer {secret}"}).status_code == 200
    token = db.session.scalar(select(AccessToken))
    revoked = browser.post(f"/account/tokens/{token.id}/revoke", follow_redirects=True)
    assert "revoked" in revoked.get_data(as_text=True)
    assert api.get("/api/v1/o/home", headers={"Authorization": f"Bearer {secret}"}).status_code == 401


def test_bad_token_requests_say_why_and_make_nothing(client_as):
    home = OrganisationFactory(slug="home")
    browser = client_as("viewer", home)
    response = browser.post("/account/tokens", data={"name": "", "organisation": "home", "access": "read",
                                                      "days": "500"})
    assert response.status_code == 422
    assert db.session.scalar(select(db.func.count()).select_from(AccessToken)) == 0


def test_nobody_revokes_another_persons_token(app, client_as):
    home = OrganisationFactory(slug="home")
    owner = client_as("admin", home)
    owner.post("/account/tokens", data={"name": "Mine", "organisation": "", "access": "read", "days": "30"})
    token = db.session.scalar(select(AccessToken))
    other = client_as("admin", home)
    assert other.post(f"/account/tokens/{token.id}/revoke").status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(AccessToken.revoked_at)) is None
