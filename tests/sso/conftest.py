"""The real OpenID provider for the single sign-on tests, and a provider configured here that points at it."""

import os

import pytest

from cxroadmap.sso import services
from tests.factories import OrganisationFactory
from tests.sso.provider import CLIENT_ID, CLIENT_SECRET, TestProvider, missing


@pytest.fixture(scope="session")
def oidc():
    """The npm package oidc-provider, running on a loopback port for the whole session."""
    why = missing()
    if why:
        if os.environ.get("CI"):
            pytest.fail(f"the OpenID provider cannot run in CI: {why}")
        pytest.skip(why)
    provider = TestProvider()
    provider.start()
    yield provider
    provider.stop()


@pytest.fixture
def idp(app, oidc, monkeypatch):
    """The test provider, added here for example.org with cx-steering → steering in van-dijk."""
    monkeypatch.setitem(app.config, "SSO_ALLOW_HTTP_ISSUER", True)
    organisation = OrganisationFactory(name="Van Dijk Onderdelen", slug="van-dijk")
    provider = services.add_provider(oidc.issuer, "Van Dijk ID", CLIENT_ID, CLIENT_SECRET, ["example.org"],
                                     "openid email profile groups")
    services.map_group(provider, "cx-steering", organisation, "steering")
    services.map_group(provider, "cx-all", organisation, "viewer")
    from cxroadmap.extensions import db
    db.session.commit()
    provider.organisation = organisation
    return provider


def sso_sign_in(browser, oidc, provider, subject, start: str | None = None):
    """Sign in through the provider as subject; the app's answer to the provider's redirect back."""
    response = browser.get(start or f"/sso/{provider.id}/start")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return browser.get(oidc.through(response.headers["Location"], subject))
