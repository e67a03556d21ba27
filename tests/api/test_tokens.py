"""Personal access tokens: what they reach, what they may do, and when they stop working."""

from datetime import timedelta

from sqlalchemy import select

from cxroadmap.accounts import tokens
from cxroadmap.accounts.models import AccessToken, Membership
from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow
from tests.factories import InitiativeFactory, MembershipFactory, OrganisationFactory, UserFactory

NEW = {"title": "Callback within the hour", "readiness_question": "know_customers"}


def test_another_organisation_is_not_there(app, api_token):
    home, other = OrganisationFactory(slug="home"), OrganisationFactory(slug="other")
    InitiativeFactory(organisation=other, ref="INIT-1")
    headers, user = api_token(home)
    MembershipFactory(user=user, organisation_id=other.id, role="admin")  # a member there, but not this token
    client = app.test_client()
    assert client.get("/api/v1/o/home/initiatives", headers=headers).status_code == 200
    for path in ("/api/v1/o/other", "/api/v1/o/other/initiatives", "/api/v1/o/other/initiatives/INIT-1"):
        response = client.get(path, headers=headers)
        assert response.status_code == 404, path
        assert response.mimetype == "application/problem+json"
    listed = client.get("/api/v1/organisations", headers=headers).get_json()
    assert [o["slug"] for o in listed["items"]] == ["home"]


def test_a_token_for_all_organisations_reaches_each_one_its_owner_is_in(app, api_token):
    home, other, stranger = (OrganisationFactory(slug=s, name=s.title()) for s in ("home", "other", "stranger"))
    headers, user = api_token(home, all_organisations=True)
    MembershipFactory(user=user, organisation_id=other.id, role="viewer")
    client = app.test_client()
    listed = client.get("/api/v1/organisations", headers=headers).get_json()["items"]
    assert [(o["slug"], o["role"]) for o in listed] == [("home", "steering"), ("other", "viewer")]
    assert client.get("/api/v1/o/stranger", headers=headers).status_code == 404
    assert client.post("/api/v1/o/other/initiatives", json=NEW, headers=headers).status_code == 403


def test_a_read_only_token_is_refused_writes(app, api_token):
    home = OrganisationFactory(slug="home")
    InitiativeFactory(organisation=home, ref="INIT-1")
    headers, _ = api_token(home, role="admin", write=False)
    client = app.test_client()
    assert client.get("/api/v1/o/home/initiatives/INIT-1", headers=headers).status_code == 200
    response = client.post("/api/v1/o/home/initiatives", json=NEW, headers=headers)
    assert response.status_code == 403
    assert "only read" in response.get_json()["detail"]
    assert client.post("/api/v1/o/home/initiatives/INIT-1/archive", headers=headers).status_code == 403
    assert db.session.scalar(select(db.func.count()).select_from(AccessToken)) == 1
    assert [i for i in db.session.execute(db.text("SELECT ref, archived FROM initiative"))] == [("INIT-1", False)]


def test_expired_revoked_and_unknown_tokens_are_401(app, api_token):
    home = OrganisationFactory(slug="home")
    client = app.test_client()
    headers, _ = api_token(home)
    assert client.get("/api/v1/o/home", headers=headers).status_code == 200
    token = db.session.scalar(select(AccessToken))
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    expired = client.get("/api/v1/o/home", headers=headers)
    assert expired.status_code == 401
    assert expired.mimetype == "application/problem+json"
    assert expired.headers["WWW-Authenticate"].startswith("Bearer")
    token.expires_at = utcnow() + timedelta(days=1)
    tokens.revoke_token(token)
    db.session.commit()
    assert client.get("/api/v1/o/home", headers=headers).status_code == 401
    for value in ("", "Bearer", "Bearer cxr_nothing", "Basic abc", "Bearer " + "x" * 500):
        assert client.get("/api/v1/o/home", headers={"Authorization": value}).status_code == 401, value


def test_lowering_the_owners_role_lowers_the_token_at_once(app, api_token):
    home = OrganisationFactory(slug="home")
    headers, user = api_token(home, role="steering")
    client = app.test_client()
    assert client.post("/api/v1/o/home/initiatives", json=NEW, headers=headers).status_code == 201
    membership = db.session.scalar(select(Membership).where(Membership.user_id == user.id))
    membership.role = "viewer"
    db.session.commit()
    assert client.post("/api/v1/o/home/initiatives", json=NEW, headers=headers).status_code == 403
    assert client.get("/api/v1/o/home/initiatives", headers=headers).status_code == 200
    db.session.delete(membership)
    db.session.commit()
    assert client.get("/api/v1/o/home/initiatives", headers=headers).status_code == 404


def test_a_deactivated_owner_stops_their_tokens(app, api_token):
    home = OrganisationFactory(slug="home")
    headers, user = api_token(home)
    user.active = False
    db.session.commit()
    assert app.test_client().get("/api/v1/o/home", headers=headers).status_code == 401


def test_each_use_is_audited_and_noted_as_last_use(app, api_token):
    home = OrganisationFactory(slug="home")
    headers, user = api_token(home)
    app.test_client().get("/api/v1/o/home/initiatives", headers=headers)
    db.session.expire_all()
    token = db.session.scalar(select(AccessToken))
    assert token.last_used_at is not None
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "api_token_used"))
    assert event.user_id == user.id and event.organisation_id == home.id
    assert event.changes["request"][1] == "GET /api/v1/o/home/initiatives"


def test_only_the_hash_is_kept(app):
    user = UserFactory()
    home = OrganisationFactory()
    MembershipFactory(user=user, organisation_id=home.id, role="viewer")
    made = tokens.create_token(user, "export", home, False, 30)
    db.session.commit()
    row = db.session.execute(db.text("SELECT token_hash, prefix FROM access_token")).one()
    assert made.secret not in row.token_hash and row.token_hash == tokens.token_hash(made.secret)
    assert made.secret.startswith(row.prefix) and len(row.prefix) < len(made.secret) // 3


def test_tokens_are_refused_beyond_a_year_and_outside_ones_organisations(app):
    user, home = UserFactory(), OrganisationFactory()
    import pytest

    from cxroadmap.errors import DomainError
    with pytest.raises(DomainError) as refused:
        tokens.create_token(user, "", home, True, 400)
    assert set(refused.value.errors) == {"name", "days", "organisation"}


def test_cookies_never_authenticate_the_api(client):
    OrganisationFactory(slug="home")
    response = client.get("/api/v1/o/home")
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"


def test_rate_limited_per_token(app, api_token):
    home = OrganisationFactory(slug="home")
    first, _ = api_token(home)
    second, _ = api_token(home)
    app.config["API_RATE_LIMIT"] = "3 per minute"
    try:
        client = app.test_client()
        codes = [client.get("/api/v1/o/home/initiatives", headers=first).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/o/home/initiatives", headers=first)
        assert limited.mimetype == "application/problem+json"
        assert client.get("/api/v1/o/home/initiatives", headers=second).status_code == 200
    finally:
        app.config["API_RATE_LIMIT"] = "600 per minute"
