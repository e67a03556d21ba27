"""Languages: English and Dutch, who reads which, and formatting for the language being read.

The language of a request follows the signed-in user's choice, then the organisation's language, then the
browser's Accept-Language; the CLI follows CXROADMAP_LANGUAGE, then LC_ALL/LC_MESSAGES/LANG. Messages in code
are marked with `_` (now) or `_l` (lazily, for texts defined at import time such as labels and form fields).
"""

import os
import tomllib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from functools import lru_cache
from pathlib import Path

import flask_babel
from babel.dates import format_date
from babel.numbers import format_decimal, format_percent
from flask import g, has_request_context, request
from flask.globals import _cv_app
from flask_babel import force_locale, get_locale, ngettext
from flask_babel.speaklater import LazyString
from jinja2 import pass_context
from markupsafe import Markup

__all__ = ["LANGUAGES", "_", "_l", "ngettext", "current_language", "in_language", "select_language",
           "format_day", "format_share", "format_count", "cli_language", "Texts", "texts_beside"]

# The languages the product speaks, each named in itself (as a language menu shows them).
LANGUAGES = {"en": "English", "nl": "Nederlands"}
DEFAULT_LANGUAGE = "en"


def _(string: str, **variables) -> str:
    """Flask-Babel's gettext, with the translations of the current locale looked up once per locale and each
    message once per locale, rather than on every call (checking a 10,000-initiative import asks for some
    500,000 messages, nearly all of them never shown)."""
    return fill(translated(string), variables)


def translated(string: str) -> str:
    """The message in the current locale, each looked up once per locale and request (see `_`)."""
    app_context = _cv_app.get(None)  # what flask.g stands for, without the proxy's cost on every call
    babel_context = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
    locale = getattr(babel_context, "babel_locale", None)
    if locale is None:
        return flask_babel.gettext(string)
    cached = getattr(babel_context, "cxroadmap_translations", None)
    if cached is None or cached[0] is not locale:  # force_locale sets another locale, then puts it back
        cached = (locale, flask_babel.get_domain().get_translations().ugettext, {})
        babel_context.cxroadmap_translations = cached
    text = cached[2].get(string)
    if text is None:
        text = cached[2][string] = cached[1](string)
    return text


def fill(text: str, variables: dict) -> str:
    """A translated message with its placeholders filled in.

    A message that ends with a value and a full stop ("… of %(name)s.") takes no second full stop when the value
    ends with one already: "Van Dijk Onderdelen B.V.", never "B.V..".
    """
    if not variables:
        return text
    return sentence(text, variables) % variables


def sentence(text: str, variables: dict) -> str:
    """text without its closing full stop when the value its last placeholder ends the sentence with has one."""
    if text.endswith(")s.") and "%(" in text:
        name = text[text.rindex("%(") + 2:-3]
        if str(variables.get(name, "")).endswith("."):
            return text[:-1]
    return text


@pass_context
def template_gettext(context, string: str, **variables):
    """Templates' `_`/`gettext`: Jinja's own (values escaped in HTML), and the full stop kept single as `fill` does."""
    text = translated(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    # Formatted even without values, as Jinja's own: template messages escape a percent sign ("Progress %%").
    return sentence(text, variables) % variables


def _l(string: str, **variables) -> LazyString:
    """The text, translated when it is read (for texts defined at import time: labels, form fields)."""
    return LazyString(_, string, **variables)


class Texts(Mapping):
    """A table of fixed texts by key (a report's, a story's), each translated when it is read or said."""

    def __init__(self, texts: Mapping[str, str]):
        self._texts = {key: _l(text) for key, text in texts.items()}

    @classmethod
    def beside(cls, module_file: str) -> "Texts":
        """The texts in the file beside a module that keeps one table of them (report.py → report.toml)."""
        return cls(texts_beside(module_file))

    def __getitem__(self, key: str) -> LazyString:
        return self._texts[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._texts)

    def __len__(self) -> int:
        return len(self._texts)

    def say(self, key: str, **values) -> str:
        """The text for key in the language being written, with values filled in ("{count} touchpoints")."""
        text = str(self._texts[key])
        return text.format(**values) if values else text

    def say_each(self, *keys: str) -> list[str]:
        """The texts for keys, in order (a table's column headings)."""
        return [self.say(key) for key in keys]


def texts_beside(module_file: str) -> dict:
    """The tables of English texts in the TOML file beside a module (stages.py → stages.toml), as written there:
    the module makes them `Texts` or `Choices`; `cxroadmap.texts_extract` hands them to the catalogs."""
    with Path(module_file).with_suffix(".toml").open("rb") as file:
        return tomllib.load(file)


def known(code) -> str | None:
    """The supported language a code like 'nl', 'nl_BE' or 'nl-NL.UTF-8' asks for, or None."""
    if not isinstance(code, str) or not code:
        return None
    language = code.replace("-", "_").split(".")[0].split("_")[0].lower()
    return language if language in LANGUAGES else None


def select_language() -> str:
    """Flask-Babel's locale selector: the user's choice, the organisation's, the browser's; the CLI's outside."""
    if not has_request_context():
        return cli_language()
    # The user Flask-Login has loaded for this request (before any view runs); loading it from here could
    # recurse, as loading may itself produce a message.
    user = g.get("_login_user")
    chosen = known(getattr(user, "locale", None))
    if chosen:
        return chosen
    organisation = g.get("organisation")
    chosen = known(getattr(organisation, "locale", None))
    if chosen:
        return chosen
    return request.accept_languages.best_match(list(LANGUAGES)) or DEFAULT_LANGUAGE


def cli_language() -> str:
    for name in ("CXROADMAP_LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        chosen = known(os.environ.get(name))
        if chosen:
            return chosen
    return DEFAULT_LANGUAGE


def current_language() -> str:
    """'en' or 'nl': the language of the text being produced now."""
    app_context = _cv_app.get(None)  # as `translated`: the locale Flask-Babel chose, without its lookups
    babel_context = app_context.g.__dict__.get("_flask_babel") if app_context is not None else None
    locale = getattr(babel_context, "babel_locale", None)
    return _language_of(locale if locale is not None else get_locale())


@lru_cache(maxsize=16)
def _language_of(locale) -> str:
    return known(str(locale or "")) or DEFAULT_LANGUAGE


@contextmanager
def in_language(code: str):
    """Produce texts in language code for a while (a report for an organisation, a CLI message)."""
    with force_locale(known(code) or DEFAULT_LANGUAGE):
        yield


def format_day(day: date | None, style: str = "medium") -> str:
    """A date as the current language writes it: 'Mar 4, 2026' or '4 mrt 2026'; none reads as an em dash."""
    if day is None:
        return "—"
    return _written_day(day, style, current_language())


@lru_cache(maxsize=4096)
def _written_day(day: date, style: str, language: str) -> str:
    # Reports write the same few hundred days thousands of times; babel works each out anew.
    return format_date(day, format=style, locale=language)


def format_month(day: date | None) -> str:
    """A month as the current language writes it: 'Oct 2026' or 'okt 2026'."""
    if day is None:
        return "—"
    return format_date(day, format="MMM y", locale=current_language())


def format_moment(moment, style: str = "medium") -> str:
    """A date and time as the current language writes it: 'Nov 23, 2026, 14:05' or '23 nov 2026 14:05'."""
    if moment is None:
        return "—"
    from babel.dates import format_date, format_time

    return f"{format_date(moment, format=style, locale=current_language())} {format_time(moment, 'HH:mm')}"


def format_share(fraction) -> str:
    """A fraction as a whole percentage: 42% or 42%; none reads as an em dash."""
    if fraction is None:
        return "—"
    return _written_share(fraction, current_language())


@lru_cache(maxsize=4096)
def _written_share(fraction, language: str) -> str:
    return format_percent(fraction, format="#,##0%", locale=language)


def format_count(number: int) -> str:
    """A whole number as the current language writes it: 4,012 or 4.012."""
    return format_decimal(number, format="#,##0", locale=current_language())


# Notes the product itself writes into what it keeps (a new initiative's first status update): kept in the language
# of whoever caused them, shown in the reader's.
WRITTEN_BY_THE_PRODUCT = ("Created.",)


def note_as_read(note: str | None) -> str:
    """A kept note in the reader's language when the product wrote it (in any language), else as it was typed."""
    if not note:
        return note or ""
    for msgid in WRITTEN_BY_THE_PRODUCT:
        if note in _written_in_every_language(msgid):
            return flask_babel.gettext(msgid)
    return note


@lru_cache(maxsize=16)
def _written_in_every_language(msgid: str) -> frozenset[str]:
    written = {msgid}
    for code in LANGUAGES:
        with force_locale(code):
            written.add(str(flask_babel.gettext(msgid)))
    return frozenset(written)
