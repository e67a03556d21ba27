"""What every response promises a security reviewer: headers, and redirects only to our own pages."""

from urllib.parse import urlsplit

from flask import Flask, request

CONTENT_SECURITY_POLICY = ("default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
                           "form-action 'self'; img-src 'self' data:")
FRAMED_NOWHERE = "frame-ancestors 'none'"


def add_security_headers(response):
    """The headers every response carries (`security_headers`), on the request's response."""
    return security_headers(response, secure=request.is_secure)


def security_headers(response, secure: bool):
    """The headers every response carries, whether it was made by a view or in front of the application (the
    survey's answer lane); secure: the request came over HTTPS. A view may set its own Content-Security-Policy (a
    survey's answer page names the sites that may frame it); X-Frame-Options, which can name no other site, then
    says DENY only when that policy frames nowhere (or does not say), and is left out otherwise so that the two
    never disagree."""
    policy = response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if FRAMED_NOWHERE in policy or "frame-ancestors" not in policy:
        response.headers.setdefault("X-Frame-Options", "DENY")
    response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    if secure:
        response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    if response.mimetype == "text/html":
        response.headers.setdefault("Cache-Control", "no-store")
    return response


def safe_next(target: str | None, default: str = "/") -> str:
    """target when it is a path of this application, else default (other hosts, schemes, slash tricks)."""
    if not target or not isinstance(target, str) or len(target) > 2000:
        return default
    if any(ch in target for ch in "\\\r\n\t\x00") or not target.startswith("/") or target.startswith("//"):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def init_security(app: Flask) -> None:
    app.after_request(add_security_headers)
