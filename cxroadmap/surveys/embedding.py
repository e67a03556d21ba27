"""Showing a survey on another site (a webshop's checkout page): the origins a survey allows to frame its answer
page, read and checked as people type them, and the headers that tell a browser which sites may frame it."""

import re
from urllib.parse import urlsplit

from cxroadmap.i18n import _
from cxroadmap.security import CONTENT_SECURITY_POLICY, FRAMED_NOWHERE
from cxroadmap.surveys.models import Survey
from cxroadmap.validation import Problems

MAX_ORIGINS = 20
ORIGIN_LENGTH = 200
DEFAULT_PORTS = {"http": 80, "https": 443}
# A host name of letters, digits and hyphens in dot-separated labels (IDNA-encoded first), or an IPv4 address.
HOST = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$")


def _host(hostname: str) -> str | None:
    """The host in the form a browser compares (lower case, IDNA), or None when it is not one."""
    try:
        host = hostname.encode("idna").decode("ascii").lower()
    except UnicodeError:
        return None
    return host if HOST.match(host) else None


def origin_of(text: str) -> str | None:
    """The origin (scheme://host[:port]) that text names, normalised; None when it is anything else (a path, a
    query, a user name, another scheme, a wildcard). A trailing slash alone is taken as no path."""
    text = text.strip()
    if not text or len(text) > ORIGIN_LENGTH or not text.isprintable() or any(c in text for c in " ;,'\"*\\"):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or parts.username is not None or parts.password is not None:
        return None
    if parts.path not in ("", "/") or parts.query or parts.fragment or text.endswith(("?", "#")):
        return None
    host = _host(parts.hostname or "")
    if host is None:
        return None
    shown_port = f":{port}" if port is not None and port != DEFAULT_PORTS[parts.scheme] else ""
    return f"{parts.scheme}://{host}{shown_port}"


def read_origins(text: str) -> tuple[list[str], Problems]:
    """The origins typed one a line (or separated by spaces), without repeats, and one problem naming every line
    that is not an origin."""
    problems = Problems()
    origins, wrong = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        for word in line.split():
            origin = origin_of(word)
            if origin is None:
                wrong.append(_("line %(number)s (%(text)s)", number=number, text=word[:60]))
            elif origin not in origins:
                origins.append(origin)
    problems.require(not wrong, "origins", _("Give each site as its origin only, such as https://shop.example.com "
                                             "(a scheme, a host and perhaps a port; no path): %(lines)s.",
                                             lines=", ".join(wrong)))
    problems.require(len(origins) <= MAX_ORIGINS, "origins",
                     _("At most %(count)s sites, please.", count=MAX_ORIGINS))
    return origins, problems


def frame_ancestors(survey: Survey | None) -> str:
    """The CSP source list of who may frame the survey's answer page: its allowed origins, else nobody."""
    origins = survey.origins if survey is not None else []
    return " ".join(origins) if origins else "'none'"


def allow_framing(response, survey: Survey | None):
    """The answer page's policy for this survey: frame-ancestors names its allowed origins. The older
    X-Frame-Options, which cannot name several sites, is then left out by `security.add_security_headers` (it
    says DENY only where the policy frames nowhere), so the two never disagree."""
    response.headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
        FRAMED_NOWHERE, f"frame-ancestors {frame_ancestors(survey)}")
    return response
