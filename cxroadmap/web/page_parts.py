"""What every page shares and keeps between views: the page bodies kept for each version of the organisation's
data, the head links, the bar with the areas' menus (MenuEntry) and the reader's account menu."""

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from flask import current_app, g, render_template, request, session
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup

from cxroadmap.areas import contributions, registry
from cxroadmap.caches import Cache
from cxroadmap.i18n import _l, current_language
from cxroadmap.organisations.data_version import cached_for_version
from cxroadmap.timeutil import today

# -- parts of pages kept between views -------------------------------------------------------------------

BODY_CACHE = Cache(64)  # page bodies (tens of KB each) of the organisations being looked at
PART_CACHE = Cache(512)  # small: the bar, the reader's menu and the head links, for each page, role and language


def page_with_cached_body(page: str, body: str, settings: tuple[str, ...], context: Callable[..., dict]) -> str:
    """The page template around its body, the body kept (`cached_fragment`) and drawn with context(today, *values
    of the settings named), as the overview and the dashboard are."""
    on, values = today(), tuple(current_app.config[name] for name in settings)
    return render_template(page, body=cached_fragment(body, on, values, lambda: context(on, *values)))


def cached_fragment(template: str, on: date, settings: tuple, context: Callable[[], dict]) -> Markup:
    """The template rendered with context() once for each version of the organisation's data, day, language,
    role and settings (the configuration it depends on), and reused until one of them changes: for the part of
    a page drawn only from the organisation's data (never from the reader's own, a form or a flash), such as
    the overview's body.

    The version is the stamp every committed write of the organisation's data changes (in the database, so
    every process sees it); a transaction holding an uncommitted change of its own renders afresh.
    """
    membership = g.get("membership")
    key = (template, on, current_language(), membership.role if membership else None, settings)
    return cached_for_version(BODY_CACHE, g.organisation, key,
                            lambda: Markup(render_template(template, **context())))


def cached_head() -> Markup:
    """The stylesheets and scripts every page links to (the same for every page under one address)."""
    return PART_CACHE.get(("_head.html", request.script_root), lambda: Markup(render_template("_head.html")))


# The bar's menus, in their order: each area adds its entries to the menu it belongs to (`MenuEntry`), so the bar
# stays one short row in every language however many areas arrive. A menu of one entry is drawn as a plain link.
MENUS = {"overview": _l("Overview"), "strategy": _l("Strategy"), "roadmap": _l("Roadmap"),
         "governance": _l("Governance"), "people": _l("People"), "admin": _l("Admin")}


@dataclass(frozen=True)
class MenuEntry:
    """A page in the bar: in which menu, its endpoint, its label, the endpoints (or their prefixes) that mark it as
    the current one, the role it needs to be shown (None: any member), and its place in the menu."""

    menu: str
    endpoint: str
    label: object
    covers: tuple[str, ...]
    role: str | None = None
    place: int = 0


def menus() -> list[tuple[str, list[MenuEntry]]]:
    """(title, entries) of each menu that has entries, in the bar's order."""
    def arrange():
        entries = contributions(MenuEntry)
        unknown = {entry.menu for entry in entries} - set(MENUS)
        if unknown:
            raise RuntimeError(f"menu entries name menus that do not exist: {sorted(unknown)}")
        return [(title, sorted((e for e in entries if e.menu == key), key=lambda e: e.place))
                for key, title in MENUS.items() if any(e.menu == key for e in entries)]
    return registry().derived("menus", arrange)


def navigation() -> Markup:
    """The bar's product name, the organisation's logo and menus for this page: the same for every page of one
    endpoint, organisation (as named and drawn), role and language (and the address the application is served
    under), so rendered once for each of them."""
    organisation, membership = g.get("organisation"), g.get("membership")
    endpoint = request.endpoint or ""
    shown = None if organisation is None else (
        organisation.id, organisation.slug, organisation.name, organisation.logo_sha256, organisation.logo_width,
        organisation.logo_height)
    key = ("_navigation.html", request.script_root, shown, membership.role if membership else None,
           current_language(), endpoint)
    return PART_CACHE.get(key, lambda: Markup(render_template("_navigation.html", here=endpoint, menus=menus())))


_CSRF_HOLE = f"csrf-{secrets.token_hex(16)}"  # where the token goes: a text no name can guess
# The signed CSRF token of the sign-out form, for each browser session's own token: signed again every few
# minutes rather than on every page (a signed token is good for WTF_CSRF_TIME_LIMIT, as long as a session lives).
_SIGNED_TOKENS = Cache(1024)
SIGN_AGAIN_SECONDS = 600


def _sign_out_token() -> str:
    if g.get("csrf_token"):  # signed already for a form of this page
        return generate_csrf()
    raw = session.get("csrf_token")
    if not raw:
        return generate_csrf()
    period = int(time.time() // SIGN_AGAIN_SECONDS)
    return _SIGNED_TOKENS.get((raw, period), generate_csrf)


def account_menu() -> Markup:
    """The signed-in reader's menu: kept for each reader (as named), organisation, role and language; the sign-out
    form's CSRF token, which belongs to the browser's session, is put in on every page."""
    organisation, membership = g.get("organisation"), g.get("membership")
    key = ("_account_menu.html", request.script_root, current_user.id, current_user.name,
           organisation.name if organisation is not None else None, membership.role if membership else None,
           current_language())
    menu = PART_CACHE.get(key, lambda: render_template("_account_menu.html", csrf_token=lambda: _CSRF_HOLE))
    return Markup(menu.replace(_CSRF_HOLE, _sign_out_token()))


# -- panels the areas add to pages of other areas ----------------------------------------------------------------

@dataclass(frozen=True)
class PagePanel:
    """A panel an area adds to a page another area draws ("overview", "dashboard"), outside that page's kept body:
    `render()` gives its HTML (empty when it has nothing to say), at `place` among the page's panels."""

    pages: tuple[str, ...]
    render: Callable[[], Markup]
    place: int = 50

    @classmethod
    def of_template(cls, pages: tuple[str, ...], template: str, place: int = 50) -> "PagePanel":
        """A panel that is one template of the area's own, rendered as it stands (a card, a link, a button)."""
        return cls(pages, lambda: Markup(render_template(template)), place)


def panels(page: str) -> Markup:
    """The panels the areas added to this page, in their places (`{{ panels('overview') }}` in its template)."""
    found = sorted((panel for panel in contributions(PagePanel) if page in panel.pages), key=lambda p: p.place)
    return Markup("").join(panel.render() for panel in found)
