"""Generated files as responses (PDF, SVG), never cached, and amounts of money as the page's reader writes them."""

from flask import Response, g

from cxroadmap.i18n import current_language
from cxroadmap.money import format_money


def file_response(body: bytes, mimetype: str, filename: str | None = None, inline: bool = True) -> Response:
    """A generated file (PDF, SVG) of private data: never stored by a browser or proxy cache."""
    response = Response(body, mimetype=mimetype)
    if filename:
        disposition = "inline" if inline else "attachment"
        response.headers["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def pdf_response(body: bytes, filename: str, inline: bool = True) -> Response:
    return file_response(body, "application/pdf", filename, inline)


# A chart opened on its own may run nothing and load nothing; its styles are inline.
SVG_CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'"


def svg_response(svg: str) -> Response:
    response = file_response(svg.encode(), "image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
    return response


def money(amount, whole: bool = True) -> str:
    """An amount in the organisation's currency, written the way the reader's language writes it, in whole units
    (the rule is money.format_money's)."""
    return format_money(amount, g.organisation.currency, current_language(), whole=whole)
