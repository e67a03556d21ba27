"""SCIM 2.0 with plain HTTP calls: a provider's token provisions, finds, changes, deactivates and deletes its
people, and nothing else."""

import json

from sqlalchemy import select

from cxroadmap.accounts.models import Membership, User, UserSession
from cxroadmap.extensions import db
from cxroadmap.sso import scim, services
from tests.conftest import sign_in
from tests.factories import MembershipFactory, OrganisationFactory

SCIM_JSON = "application/scim+json"


def _provider(domains=("example.org",), issuer="https://login.example.org"):
    provider = services.add_provider(issuer, "Staff", "client", "secret", list(domains))
    token = scim.new_token(provider)
    db.session.commit()
    return provider, {"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON}


def _call(browser, method, path, headers, body=None):
    response = browser.open(f"/scim/v2{path}", method=method, headers=headers,
                            data=json.dumps(body) if body is not None else None)
    return response, (response.get_json(force=True) if response.data else None)


def test_a_token_is_needed_and_errors_are_scim_errors(anonymous):
    _provider()
    response, body = _call(anonymous, "GET", "/Users", {"Authorization": "Bearer wrong"})
    assert response.status_code == 401 and response.mimetype == SCIM_JSON
    assert body["schemas"] == [scim.ERROR_SCHEMA] and body["status"] == "401"
    assert "Bearer" in response.headers["WWW-Authenticate"]
    assert _call(anonymous, "GET", "/Users", {})[0].status_code == 401


def test_create_find_patch_replace_and_delete_a_user(anonymous):
    provider, headers = _provider()
    organisation = OrganisationFactory(slug="van-dijk")
    services.map_group(provider, "everyone", organisation, "viewer")
    db.session.commit()
    response, created = _call(anonymous, "POST", "/Users", headers, {
        "schemas": [scim.USER_SCHEMA], "userName": "Nina@Example.org", "externalId": "e-1",
        "name": {"givenName": "Nina", "familyName": "Jansen"}, "active": True})
    assert response.status_code == 201, created
    assert created["userName"] == "nina@example.org" and created["displayName"] == "Nina Jansen"
    assert response.headers["Location"].endswith(f"/scim/v2/Users/{created['id']}")
    again, conflict = _call(anonymous, "POST", "/Users", headers, {"userName": "nina@example.org"})
    assert again.status_code == 409 and conflict["scimType"] == "uniqueness"
    _response, found = _call(anonymous, "GET", '/Users?filter=userName%20eq%20%22NINA@example.org%22', headers)
    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == created["id"]
    _response, none = _call(anonymous, "GET", '/Users?filter=userName%20eq%20%22x@example.org%22', headers)
    assert none["totalResults"] == 0 and none["Resources"] == []
    bad, problem = _call(anonymous, "GET", "/Users?filter=name%20co%20%22n%22", headers)
    assert bad.status_code == 400 and problem["scimType"] == "invalidFilter"
    outside, problem = _call(anonymous, "POST", "/Users", headers, {"userName": "olga@elsewhere.net"})
    assert outside.status_code == 400 and problem["scimType"] == "invalidValue"
    replaced, body = _call(anonymous, "PUT", f"/Users/{created['id']}", headers,
                           {"schemas": [scim.USER_SCHEMA], "userName": "nina@example.org",
                            "displayName": "Nina de Vries", "active": True})
    assert replaced.status_code == 200 and body["displayName"] == "Nina de Vries"
    # Signed in through a browser, then deactivated by SCIM (as Entra ID sends it): the session ends at once.
    user = db.session.scalar(select(User).where(User.email == "nina@example.org"))
    MembershipFactory(user=user, organisation_id=organisation.id, role="viewer")
    browser = anonymous.application.test_client()
    sign_in(browser, user)
    assert browser.get("/o/van-dijk/").status_code == 200
    patched, body = _call(anonymous, "PATCH", f"/Users/{created['id']}", headers, {
        "schemas": [scim.PATCH_SCHEMA], "Operations": [{"op": "Replace", "path": "active", "value": "False"}]})
    assert patched.status_code == 200 and body["active"] is False
    assert browser.get("/o/van-dijk/").status_code == 302
    assert db.session.scalar(select(UserSession.ended_at)) is not None
    deleted, _body = _call(anonymous, "DELETE", f"/Users/{created['id']}", headers)
    assert deleted.status_code == 204
    assert db.session.scalar(select(Membership.id).where(Membership.user_id == user.id)) is None
    assert _call(anonymous, "GET", f"/Users/{created['id']}", headers)[0].status_code == 404


def test_a_token_reaches_its_own_provider_and_organisations_only(anonymous):
    mine, headers = _provider()
    other, other_headers = _provider(("example.nl",), "https://login.example.nl")
    response, created = _call(anonymous, "POST", "/Users", other_headers, {"userName": "jan@example.nl"})
    assert response.status_code == 201
    assert _call(anonymous, "GET", f"/Users/{created['id']}", headers)[0].status_code == 404
    assert _call(anonymous, "DELETE", f"/Users/{created['id']}", headers)[0].status_code == 404
    # A membership of an organisation the provider's mapping does not name stays when the person is deleted.
    elsewhere = OrganisationFactory(slug="elsewhere")
    user = db.session.scalar(select(User).where(User.email == "jan@example.nl"))
    MembershipFactory(user=user, organisation_id=elsewhere.id, role="steering")
    assert _call(anonymous, "DELETE", f"/Users/{created['id']}", other_headers)[0].status_code == 204
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == user.id)) == "steering"


def test_the_token_is_printed_once_stored_hashed_and_revocable(runner, anonymous):
    provider, _headers = _provider()
    result = runner.invoke(args=["sso", "scim-token", provider.issuer])
    token = result.output.strip()
    assert result.exit_code == 0 and token.startswith("scim_")
    db.session.expire_all()
    assert token not in (provider.scim_token_hash or "") and provider.scim_token_prefix == token[:12]
    headers = {"Authorization": f"Bearer {token}"}
    assert _call(anonymous, "GET", "/Users", headers)[0].status_code == 200
    assert runner.invoke(args=["sso", "scim-token", provider.issuer, "--revoke"]).exit_code == 0
    assert _call(anonymous, "GET", "/Users", headers)[0].status_code == 401


def test_a_provisioned_person_signs_in_later_by_their_verified_email(app, oidc, idp):
    from tests.sso.conftest import sso_sign_in

    token = scim.new_token(idp)
    db.session.commit()
    headers = {"Authorization": f"Bearer {token}", "Content-Type": SCIM_JSON}
    response, _created = _call(app.test_client(), "POST", "/Users", headers, {"userName": "fresh@example.org"})
    assert response.status_code == 201
    oidc.account("fresh-sub", "fresh@example.org", groups=["cx-all"])
    assert sso_sign_in(app.test_client(), oidc, idp, "fresh-sub").status_code == 302


def test_scim2_tester_finds_the_discovery_endpoints_compliant(app):
    """The compliance checker against the endpoints, through WSGI: discovery, schemas, resource types, the service
    provider configuration and the error answers. (Its create/read/update/delete checks make people with made-up
    userNames; here a userName is an address of the provider's domains, so they are refused by design.)"""
    from scim2_client.engines.wsgi import WSGISCIMClient
    from scim2_tester import check_server

    _unused, headers = _provider()
    client = WSGISCIMClient(app, base_url="http://localhost/scim/v2",
                            headers={"Authorization": headers["Authorization"]})
    client.discover()
    results = check_server(client, include_tags={"discovery", "misc", "resource-types", "schemas",
                                                 "service-provider-config"})
    failures = [f"{result.title}: {result.reason}" for result in results
                if result.status.name not in ("SUCCESS", "SKIPPED")]
    assert results and failures == []


def test_groups_give_roles_through_the_mapping(anonymous):
    provider, headers = _provider()
    organisation = OrganisationFactory(slug="van-dijk")
    unmapped = OrganisationFactory(slug="unmapped")
    services.map_group(provider, "cx-steering", organisation, "steering")
    db.session.commit()
    _response, nina = _call(anonymous, "POST", "/Users", headers, {"userName": "nina@example.org"})
    _response, piet = _call(anonymous, "POST", "/Users", headers, {"userName": "piet@example.org"})
    piet_user = db.session.scalar(select(User).where(User.email == "piet@example.org"))
    MembershipFactory(user=piet_user, organisation_id=unmapped.id, role="admin")
    response, group = _call(anonymous, "POST", "/Groups", headers, {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "cx-steering",
        "members": [{"value": nina["id"]}]})
    assert response.status_code == 201 and [m["value"] for m in group["members"]] == [nina["id"]]

    def role(email):
        return db.session.scalar(select(Membership.role).join(User).where(
            User.email == email, Membership.organisation_id == organisation.id))
    assert role("nina@example.org") == "steering" and role("piet@example.org") is None
    patched, group = _call(anonymous, "PATCH", "/Groups/cx-steering", headers, {
        "schemas": [scim.PATCH_SCHEMA], "Operations": [
            {"op": "add", "path": "members", "value": [{"value": piet["id"]}]},
            {"op": "remove", "path": f'members[value eq "{nina["id"]}"]'}]})
    assert patched.status_code == 200 and [m["value"] for m in group["members"]] == [piet["id"]]
    assert role("nina@example.org") is None and role("piet@example.org") == "steering"
    _response, listed = _call(anonymous, "GET", '/Groups?filter=displayName%20eq%20%22cx-steering%22', headers)
    assert listed["totalResults"] == 1
    assert _call(anonymous, "DELETE", "/Groups/cx-steering", headers)[0].status_code == 204
    assert role("piet@example.org") is None
    # The organisation the mapping does not name is never touched.
    assert db.session.scalar(select(Membership.role).where(Membership.user_id == piet_user.id)) == "admin"
    assert _call(anonymous, "GET", "/Groups/nobody", headers)[0].status_code == 404
    for odd in ("%C2%B2", "99999999999999999999", "%E2%80%AE"):  # what the path-value test sends without a token
        assert _call(anonymous, "GET", f"/Users/{odd}", headers)[0].status_code == 404, odd
