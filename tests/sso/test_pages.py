"""The sign-in page with an identity provider, requiring single sign-on, signing out there too, and the pages
where providers and mappings are kept."""

from sqlalchemy import select

from cxroadmap.accounts.models import User
from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.sso import services
from cxroadmap.sso.models import GroupMapping, IdentityProvider, SsoRequirement
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.sso.conftest import sso_sign_in
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET

PASSWORD = "a long and unusual passphrase"


def _with_password(**fields):
    from cxroadmap.accounts.passwords import hash_password
    return UserFactory(password_hash=hash_password(PASSWORD), **fields)


def test_the_sign_in_page_offers_the_provider_and_sends_its_domain_there(app, oidc, idp):
    browser = app.test_client()
    page = browser.get("/login").get_data(as_text=True)
    assert "Sign in with Van Dijk ID" in page and f"/sso/{idp.id}/start" in page
    response = browser.post("/login", data={"email": "Nina@Example.org", "password": ""})
    assert response.status_code == 302 and f"/sso/{idp.id}/start" in response.headers["Location"]
    # Another domain with no password is asked for it, as before.
    other = browser.post("/login", data={"email": "nina@elsewhere.net", "password": ""})
    assert other.status_code == 422
    # Typed on the sign-in page, the address goes along to the provider (login_hint), which signs that person in.
    oidc.account("typed", "tess@example.org", groups=["cx-all"])
    start = browser.get(response.headers["Location"])
    assert "login_hint=tess" not in start.headers["Location"]
    response = browser.post("/login", data={"email": "tess@example.org", "password": ""})
    back = sso_sign_in(browser, oidc, idp, "typed", start=response.headers["Location"])
    assert back.status_code == 302
    assert db.session.scalar(select(User.id).where(User.email == "tess@example.org"))


def test_requiring_sso_stops_password_sign_in_except_a_site_admin_with_two_factors(app, idp, runner):
    member = _with_password(email="m@example.org")
    MembershipFactory(user=member, organisation_id=idp.organisation.id, role="viewer")
    _with_password(email="o@example.com")
    result = runner.invoke(args=["sso", "require", "van-dijk"])
    assert result.exit_code == 0, result.output
    browser = app.test_client()
    refused = browser.post("/login", data={"email": "m@example.org", "password": PASSWORD})
    assert refused.status_code == 403 and "not a password" in refused.get_data(as_text=True)
    assert browser.post("/login", data={"email": "o@example.com", "password": PASSWORD}).status_code == 302
    # The break glass: a site administrator with two-factor sign-in keeps the password (then the code).
    admin = _with_password(email="root@example.org", site_admin=True, totp_enabled=True, totp_secret="A" * 32)
    MembershipFactory(user=admin, organisation_id=idp.organisation.id, role="admin")
    response = app.test_client().post("/login", data={"email": "root@example.org", "password": PASSWORD})
    assert response.status_code == 302 and "second-factor" in response.headers["Location"]
    bare = _with_password(email="bare@example.org", site_admin=True)
    MembershipFactory(user=bare, organisation_id=idp.organisation.id, role="admin")
    assert app.test_client().post("/login", data={"email": "bare@example.org", "password": PASSWORD}) \
        .status_code == 403
    assert runner.invoke(args=["sso", "require", "van-dijk", "--off"]).exit_code == 0
    assert browser.post("/login", data={"email": "m@example.org", "password": PASSWORD}).status_code == 302
    reasons = [e.changes.get("reason") for e in db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "sso_required"))]
    assert reasons == [None]


def test_signing_out_ends_the_session_here_and_at_the_provider(app, oidc, idp):
    oidc.account("leaver", "lea@example.org", groups=["cx-all"])
    browser = app.test_client()
    sso_sign_in(browser, oidc, idp, "leaver")
    assert browser.get("/o/van-dijk/").status_code == 200
    response = browser.post("/logout")
    assert response.status_code == 302
    assert response.headers["Location"].startswith(f"{oidc.issuer}/session/end")
    assert "id_token_hint=" in response.headers["Location"]
    assert browser.get("/o/van-dijk/").status_code == 302  # to the sign-in page


def test_the_site_administrator_adds_and_removes_a_provider(app, client, monkeypatch):
    monkeypatch.setitem(app.config, "SSO_ALLOW_HTTP_ISSUER", False)
    page = client.get("/admin/sso")
    assert page.status_code == 200 and "No identity provider yet" in page.get_data(as_text=True)
    refused = client.post("/admin/sso", data={"issuer": "http://login.example.org", "client_id": "x",
                                              "client_secret": "y", "domains": "not a domain"})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "over HTTPS" in text and "is not an email domain" in text
    saved = client.post("/admin/sso", data={"issuer": "https://login.example.org/realms/staff/", "name": "Staff",
                                            "client_id": "cxroadmap", "client_secret": "s3cret",
                                            "domains": "example.org, Example.NL", "scopes": "",
                                            "groups_claim": "groups", "creates_accounts": "y"})
    assert saved.status_code == 302
    provider = db.session.scalar(select(IdentityProvider))
    assert (provider.issuer, provider.domains) == ("https://login.example.org/realms/staff", ["example.nl",
                                                                                               "example.org"])
    page = client.get("/admin/sso").get_data(as_text=True)
    assert "Staff" in page and "s3cret" not in page
    assert "s3cret" not in str([e.changes for e in db.session.scalars(select(AuditEvent))])
    assert client.post(f"/admin/sso/{provider.id}/remove").status_code == 302
    assert db.session.scalar(select(IdentityProvider)) is None


def test_an_organisation_administrator_maps_groups_and_requires_sso(app, client, idp):
    organisation = idp.organisation
    page = client.get("/o/van-dijk/sso")
    assert page.status_code == 200 and "cx-steering" in page.get_data(as_text=True)
    response = client.post("/o/van-dijk/sso/mappings", data={"provider": idp.id, "group": "cx-admins",
                                                             "role": "admin"})
    assert response.status_code == 302
    assert db.session.scalar(select(GroupMapping.role).where(GroupMapping.group == "cx-admins")) == "admin"
    assert client.post("/o/van-dijk/sso/require", data={"required": "y"}).status_code == 302
    assert db.session.get(SsoRequirement, organisation.id) is not None
    mapping = db.session.scalar(select(GroupMapping).where(GroupMapping.group == "cx-admins"))
    assert client.post(f"/o/van-dijk/sso/mappings/{mapping.id}/remove").status_code == 302
    # Another organisation's mapping is not even acknowledged.
    other = OrganisationFactory(slug="other")
    foreign = services.map_group(idp, "cx-other", other, "viewer")
    db.session.commit()
    assert client.post(f"/o/van-dijk/sso/mappings/{foreign.id}/remove").status_code == 404


def test_the_command_line(runner, app, monkeypatch, oidc):
    monkeypatch.setitem(app.config, "SSO_ALLOW_HTTP_ISSUER", True)
    OrganisationFactory(slug="van-dijk", name="Van Dijk")
    added = runner.invoke(args=["sso", "add", oidc.issuer, "--client-id", CLIENT_ID, "--client-secret",
                                CLIENT_SECRET, "--domain", "example.org", "--name", "Van Dijk ID"])
    assert added.exit_code == 0 and "Added Van Dijk ID" in added.output
    again = runner.invoke(args=["sso", "add", oidc.issuer, "--client-id", "x", "--client-secret", "y",
                                "--domain", "example.org"])
    assert again.exit_code == 1 and len(again.output.strip().splitlines()) == 1
    mapped = runner.invoke(args=["sso", "map", oidc.issuer, "cx-steering", "van-dijk", "steering"])
    assert mapped.exit_code == 0, mapped.output
    unknown = runner.invoke(args=["sso", "map", "https://nowhere.example", "g", "van-dijk", "viewer"])
    assert unknown.exit_code == 1 and "No identity provider" in unknown.output
    listed = runner.invoke(args=["sso", "list"])
    assert "cx-steering -> van-dijk steering" in listed.output and CLIENT_SECRET not in listed.output
    assert runner.invoke(args=["sso", "unmap", oidc.issuer, "cx-steering", "van-dijk"]).exit_code == 0
    no_mapping = runner.invoke(args=["sso", "require", "van-dijk"])
    assert no_mapping.exit_code == 1 and "Map a group" in no_mapping.output
    assert runner.invoke(args=["sso", "remove", oidc.issuer]).exit_code == 0
    assert runner.invoke(args=["sso", "list"]).output.strip() == "No identity providers."
