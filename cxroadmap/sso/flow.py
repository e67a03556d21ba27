"""The OpenID Connect sign-in itself, through Authlib: to the provider with PKCE, state and nonce; back with a code
exchanged for tokens; the ID token's signature (keys from the provider's JWKS, fetched again for a key it does not
know) and claims (issuer, audience, expiry, nonce) checked. Every way it can fail is a `Refusal` with a reason."""

import threading
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    InvalidKeyIdError,
    JoseError,
    MissingClaimError,
)

from cxroadmap.i18n import _l
from cxroadmap.sso.models import IdentityProvider

# What a person is told when a sign-in is refused, by the reason recorded in the trail.
REASONS = {
    "state": _l("This sign-in was started in another window, has been used already, or took too long. Start "
                "again from the sign-in page."),
    "provider": _l("Your organisation's sign-in service did not let you in. Ask your IT department if that "
                   "seems wrong."),
    "unreachable": _l("Your organisation's sign-in service could not be reached just now. Try again in a few "
                      "minutes; ask your IT department if it keeps failing."),
    "signature": _l("The answer of your organisation's sign-in service was not signed by it, so it was not "
                    "trusted. Nothing was signed in. Tell your IT department."),
    "issuer": _l("The answer came from another sign-in service than the one configured. Nothing was signed in. "
                 "Tell your IT department."),
    "audience": _l("The answer of your organisation's sign-in service was meant for another application. Nothing "
                   "was signed in. Tell your IT department."),
    "expired": _l("The answer of your organisation's sign-in service had expired. Start again from the sign-in "
                  "page; if it keeps happening, the clock of one of the servers is wrong."),
    "nonce": _l("The answer of your organisation's sign-in service belonged to another sign-in. Start again from "
                "the sign-in page."),
    "token": _l("The answer of your organisation's sign-in service could not be read. Tell your IT department."),
    "unverified": _l("Your organisation's sign-in service has not confirmed your email address. Confirm it there, "
                     "then sign in again."),
    "domain": _l("Your email address is not one of the domains this sign-in service is set up for here. Ask a "
                 "site administrator to add your domain."),
    "no_account": _l("There is no account here for your email address yet. Ask an administrator of your "
                     "organisation to invite you."),
    "inactive": _l("Your account here has been deactivated. Ask an administrator of your organisation."),
    "linked": _l("Your account here is linked to another identity at this sign-in service already. Ask a site "
                 "administrator."),
    "unknown": _l("This sign-in service is no longer set up here. Start again from the sign-in page."),
}


class Refusal(Exception):
    """A sign-in that did not happen; `reason` is a key of REASONS, `detail` what the trail keeps besides."""

    def __init__(self, reason: str, detail: str = ""):
        super().__init__(reason)
        self.reason, self.detail = reason, detail[:200]

    @property
    def message(self) -> str:
        return str(REASONS[self.reason])


@dataclass(frozen=True)
class Identity:
    """What the ID token said about the person."""

    subject: str
    email: str
    email_verified: bool
    name: str
    groups: tuple[str, ...]
    id_token: str


# One Authlib client per provider and settings in each process: it keeps the discovery document and the keys.
_clients: dict[tuple, FlaskOAuth2App] = {}
_lock = threading.Lock()


def client_for(provider: IdentityProvider) -> FlaskOAuth2App:
    key = (provider.id, provider.issuer, provider.client_id, provider.client_secret, provider.scopes)
    with _lock:
        client = _clients.get(key)
        if client is None:
            for old in [old for old in _clients if old[0] == provider.id]:
                del _clients[old]
            client = _clients[key] = FlaskOAuth2App(
                FlaskIntegration(f"sso{provider.id}"), name=f"sso{provider.id}", client_id=provider.client_id,
                client_secret=provider.client_secret,
                server_metadata_url=f"{provider.issuer}/.well-known/openid-configuration",
                client_kwargs={"scope": provider.scopes, "code_challenge_method": "S256"})
        return client


def _metadata(provider: IdentityProvider, client: FlaskOAuth2App) -> dict:
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError) as problem:
        raise Refusal("unreachable", type(problem).__name__) from None
    if metadata.get("issuer", "").rstrip("/") != provider.issuer:
        client.server_metadata.clear()  # read it again next time: it may be fixed by then
        raise Refusal("issuer", f"discovery names {metadata.get('issuer')!r}")
    return metadata


def authorization_redirect(provider: IdentityProvider, redirect_uri: str, login_hint: str = ""):
    """The response sending the browser to the provider; state, nonce and the PKCE verifier wait in the session."""
    client = client_for(provider)
    _metadata(provider, client)
    extra = {"login_hint": login_hint} if login_hint else {}
    return client.authorize_redirect(redirect_uri, **extra)


_CLAIM_REASONS = {"iss": "issuer", "aud": "audience", "azp": "audience", "nonce": "nonce", "exp": "expired"}


def identity_from_callback(provider: IdentityProvider) -> Identity:
    """Check the provider's answer on this request (state, code) and the ID token it leads to, or refuse."""
    client = client_for(provider)
    _metadata(provider, client)
    options = {"iss": {"essential": True, "value": provider.issuer},
               "aud": {"essential": True, "value": provider.client_id}, "exp": {"essential": True}}
    try:
        token = client.authorize_access_token(claims_options=options, leeway=60)
    except MismatchingStateError:
        raise Refusal("state") from None
    except OAuthError as problem:
        raise Refusal("provider", f"{problem.error}: {problem.description or ''}") from None
    except requests.RequestException as problem:
        raise Refusal("unreachable", type(problem).__name__) from None
    except ExpiredTokenError:
        raise Refusal("expired") from None
    except (BadSignatureError, InvalidKeyIdError) as problem:
        raise Refusal("signature", type(problem).__name__) from None
    except (InvalidClaimError, MissingClaimError) as problem:
        claim = getattr(problem, "claim", "") or str(problem)
        raise Refusal(next((r for c, r in _CLAIM_REASONS.items() if c in claim), "token"), str(problem)) from None
    except (JoseError, ValueError) as problem:
        raise Refusal("token", f"{type(problem).__name__}: {problem}") from None
    claims = token.get("userinfo")
    if not claims:
        raise Refusal("token", "no ID token")
    claims = dict(claims)
    if "email" not in claims or provider.groups_claim not in claims:
        claims.update(_userinfo(client, token, claims["sub"]))
    groups = claims.get(provider.groups_claim) or []
    if isinstance(groups, str):
        groups = [groups]
    return Identity(subject=str(claims["sub"]), email=str(claims.get("email") or ""),
                    email_verified=claims.get("email_verified") is True, name=str(claims.get("name") or ""),
                    groups=tuple(str(group) for group in groups if isinstance(group, str | int)),
                    id_token=token["id_token"])


def _userinfo(client: FlaskOAuth2App, token: dict, subject: str) -> dict:
    """What the userinfo endpoint adds (providers that keep the ID token small put email and groups there); only
    when it speaks of the same subject (OpenID Connect Core 5.3.2)."""
    if not client.load_server_metadata().get("userinfo_endpoint"):
        return {}
    try:
        found = client.userinfo(token=token)
    except (requests.RequestException, ValueError, OAuthError) as problem:
        raise Refusal("unreachable", f"userinfo: {type(problem).__name__}") from None
    if str(found.get("sub")) != subject:
        raise Refusal("token", "userinfo of another subject")
    return {key: value for key, value in found.items() if key not in ("sub", "iss", "aud")}


def logout_url(provider: IdentityProvider, id_token: str, come_back_to: str) -> str | None:
    """Where the browser signs out at the provider too (RP-initiated logout), or None if it offers no such page."""
    client = client_for(provider)
    try:
        metadata = client.load_server_metadata()
    except (requests.RequestException, ValueError):
        return None
    if not metadata.get("end_session_endpoint"):
        return None
    return client.create_logout_url(post_logout_redirect_uri=come_back_to, id_token_hint=id_token,
                                    client_id=provider.client_id)["url"]
