"""The real OpenID provider of the single sign-on tests (tests/oidc/provider.mjs, the npm `oidc-provider`) on a
loopback port, and a browser's way through it."""

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

import requests
from joserfc.jwk import RSAKey

from tests.mailtesting import free_port

HERE = Path(__file__).resolve().parent.parent / "oidc"
CLIENT_ID, CLIENT_SECRET = "cxroadmap", "a-long-test-client-secret-of-the-relying-party"
CALLBACK = "http://localhost/sso/callback"
SIGNED_OUT = "http://localhost/login"


def missing() -> str | None:
    """Why the provider cannot run here, or None."""
    if shutil.which("node") is None:
        return "node is not installed"
    if not (HERE / "node_modules" / "oidc-provider").is_dir():
        return "the npm package oidc-provider is not installed (cd tests/oidc && npm ci)"
    return None


def new_key(kid: str) -> dict:
    return RSAKey.generate_key(2048, parameters={"kid": kid, "alg": "RS256", "use": "sig"}, private=True) \
        .as_dict(private=True)


class TestProvider:
    """One provider process; `restart(keys)` starts it again with other signing keys (a rotation)."""

    __test__ = False

    def __init__(self):
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self.keys = [new_key("first")]
        self.process = None
        self.accounts: dict[str, dict] = {}

    def start(self) -> None:
        config = {"issuer": self.issuer, "port": self.port, "jwks": {"keys": self.keys}, "clients": [{
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK],
            "post_logout_redirect_uris": [SIGNED_OUT], "grant_types": ["authorization_code"],
            "response_types": ["code"], "token_endpoint_auth_method": "client_secret_basic"}]}
        # What it says goes to a file: a pipe nobody reads would stop it once full.
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 - open while the process runs, closed in stop()
        self.process = subprocess.Popen(["node", str(HERE / "provider.mjs")], cwd=HERE, stdout=subprocess.DEVNULL,
                                        stderr=self.log, env={**os.environ, "OIDC_TEST_CONFIG": json.dumps(config)})
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                requests.get(f"{self.issuer}/.well-known/openid-configuration", timeout=1).raise_for_status()
                break
            except requests.RequestException:
                if self.process.poll() is not None:
                    self.log.seek(0)
                    raise RuntimeError(self.log.read().decode()) from None
                time.sleep(0.1)
        else:
            raise RuntimeError("the OpenID provider did not start")
        for subject, claims in self.accounts.items():
            self._put(subject, claims)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
            self.log.close()

    def restart(self, keys: list[dict]) -> None:
        self.stop()
        self.keys = keys
        self.start()

    def _put(self, subject: str, claims: dict) -> None:
        requests.put(f"{self.issuer}/test/accounts/{subject}", json=claims, timeout=5).raise_for_status()

    def account(self, subject: str, email: str, groups=(), email_verified: bool = True, name: str = "") -> str:
        """Have the provider know a person (or know them anew, with other groups)."""
        claims = {"email": email, "email_verified": email_verified, "groups": list(groups),
                  "name": name or email.split("@")[0].title()}
        self.accounts[subject] = claims
        self._put(subject, claims)
        return subject

    def tamper(self, **how) -> None:
        """Spoil the next ID token the token endpoint hands out."""
        requests.post(f"{self.issuer}/test/tamper", json=how, timeout=5).raise_for_status()

    def through(self, authorize_url: str, subject: str) -> str:
        """Go where the app sent the browser, signed in at the provider as subject; return the app's URL the
        provider sends the browser back to (its path and query)."""
        browser = requests.Session()
        url = authorize_url
        if "login_hint=" not in url:  # the app sends an address typed on its sign-in page on itself
            url += "&" + urlencode({"login_hint": subject})
        for _hop in range(10):
            response = browser.get(url, allow_redirects=False, timeout=10)
            location = response.headers.get("Location")
            if location is None:
                raise AssertionError(f"the provider answered {response.status_code}: {response.text[:500]}")
            url = urljoin(url, location)
            if not url.startswith(self.issuer):
                parts = urlsplit(url)
                return parts.path + ("?" + parts.query if parts.query else "")
        raise AssertionError("the provider kept redirecting")
