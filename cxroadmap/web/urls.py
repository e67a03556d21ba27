"""What a URL carries: the organisation of /o/<slug>/ pages, the converters every path value passes through, and
the query values a page reads (a number, a day, a chart's width, a page of a list)."""

import re
from collections.abc import Callable
from datetime import date

from flask import Blueprint, abort, g, request
from werkzeug.routing import BaseConverter, IntegerConverter

from cxroadmap.organisations.data_version import organisation_with_stamp

# How an organisation's page reads its organisation: with its data stamp, in one query. Signing in (accounts, an
# area above this module) replaces it with one that also reads the browser's session in that query.
_organisation_reader: list[Callable[[str], object]] = [organisation_with_stamp]


def read_organisations_with(reader: Callable[[str], object]) -> None:
    """Have organisation pages read their organisation (or None) with reader(slug)."""
    _organisation_reader[0] = reader


def organisation_blueprint(name: str, import_name: str) -> Blueprint:
    """A blueprint under /o/<slug>/ whose views find the organisation in g.organisation (404 if unknown)."""
    blueprint = Blueprint(name, import_name, url_prefix="/o/<slug>")

    @blueprint.url_value_preprocessor
    def _load_organisation(endpoint, values):
        # An unknown slug is answered only after the access check, exactly as an organisation one has no
        # role in: a sign-in page for the anonymous, the same 404 for everyone else, so slugs cannot be probed.
        organisation = _organisation_reader[0](values.pop("slug"))
        if organisation is None:
            g.unknown_organisation = True
        else:
            g.organisation = organisation

    @blueprint.url_defaults
    def _add_slug(endpoint, values):
        if "slug" not in values and "organisation" in g:
            values["slug"] = g.organisation.slug

    return blueprint


# -- reading what a URL carries -------------------------------------------------------------------------
# Every value a path or query string brings is read here, and anything out of range is a 404 (a path that
# matches nothing) or the default (a query value): never an overflow in Python or the database.

ID_MAX = 2**31 - 1  # PostgreSQL's integer; SQLite's is wider, so this bound serves both
_WHOLE = re.compile(r"[0-9]{1,10}")  # ASCII digits only: "²".isdigit() is true and int("²") fails
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9999, 12, 30)  # room for a day either side of every filter


class DatabaseId(IntegerConverter):
    """<int:…> in a route: a whole number from 0 that fits an id column; any other path matches nothing."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", ID_MAX)
        super().__init__(url_map, *args, **kwargs)


class PlainSegment(BaseConverter):
    """<slug>, <ref>, <filename>: one path segment of at most 300 characters without a control character
    (PostgreSQL refuses a NUL in any text)."""

    regex = r"[^/\x00-\x1f\x7f]{1,300}"


def register_converters(app) -> None:
    """The converters every route's values pass through (before any blueprint is registered)."""
    app.url_map.converters.update(int=DatabaseId, default=PlainSegment, string=PlainSegment)


def refuse_control_characters():
    """Before every request: a query string carrying a control character is a 400, whatever the page."""
    if any(_CONTROL.search(key) or _CONTROL.search(value) for key, value in request.args.items(multi=True)):
        abort(400)


def query_int(name: str, default: int | None = None, low: int = 0, high: int = ID_MAX) -> int | None:
    """?name= as a whole number from low to high; default when missing, not ASCII digits, or out of range."""
    text = request.args.get(name, "")
    if not _WHOLE.fullmatch(text):
        return default
    value = int(text)
    return value if low <= value <= high else default


def query_day(name: str) -> date | None:
    """?name= as an ISO date between 1900 and 9999; None when missing or not such a date."""
    try:
        day = date.fromisoformat(request.args.get(name, ""))
    except ValueError:
        return None
    return day if FIRST_DAY <= day <= LAST_DAY else None


# Text on a page's chart, in CSS pixels: a chart is drawn at the width it is shown (?w=, chosen by the page for
# the window's width), so this is the size a reader sees.
CHART_TEXT = 12


def chart_width(default: int) -> int:
    """The width a page asked its chart to be drawn at (?w=, 280–1400), else default."""
    value = query_int("w")
    return min(max(value, 280), 1400) if value is not None else default


def page_number() -> int:
    """The ?page= of a list, 1 when missing or not a positive whole number."""
    return query_int("page", 1, low=1, high=999_999)
