"""Other ways to sign in than a password, contributed by areas above accounts (single sign-on): what the sign-in
page offers, where an address signs in instead, who may no longer use a password, and where signing out goes on."""

from collections.abc import Callable
from dataclasses import dataclass

from cxroadmap.areas import contributions


@dataclass(frozen=True)
class SignInWay:
    """`offers(next)`: (label, URL) buttons for the sign-in page. `route(email, next)`: the URL an address signs in
    at instead of with a password, or None. `password_refusal(user)`: why the user may not sign in with a password,
    or None. `sign_out()`: where the browser goes on to sign out elsewhere too, or None (asked before the session
    is cleared)."""

    offers: Callable[[str], list[tuple[str, str]]]
    route: Callable[[str, str], str | None]
    password_refusal: Callable[[object], str | None]
    sign_out: Callable[[], str | None]


def offers(next_target: str) -> list[tuple[str, str]]:
    return [offer for way in contributions(SignInWay) for offer in way.offers(next_target)]


def route(email: str, next_target: str) -> str | None:
    return next((url for way in contributions(SignInWay) if (url := way.route(email or "", next_target))), None)


def password_refusal(user) -> str | None:
    return next((why for way in contributions(SignInWay) if (why := way.password_refusal(user))), None)


def sign_out() -> str | None:
    return next((url for way in contributions(SignInWay) if (url := way.sign_out())), None)
