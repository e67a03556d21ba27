"""The message catalogs: every text the code and templates mark is in the Dutch catalog, translated alike."""

import re
import tomllib

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from cxroadmap import PACKAGE, REPOSITORY
from cxroadmap.texts_extract import strings

TRANSLATIONS = REPOSITORY / "cxroadmap" / "translations"
KEYWORDS = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]|\{(\w+)\}")


def marked_messages() -> set:
    """Every msgid marked in the code and the templates, found as `make messages` finds them."""
    with open(REPOSITORY / "babel.cfg") as config:
        method_map, options_map = parse_mapping_cfg(config)
    found = set()
    for _filename, _line, message, _comments, _context in extract_from_dir(
            str(REPOSITORY), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def catalog(language: str):
    with open(TRANSLATIONS / language / "LC_MESSAGES" / "messages.po", "rb") as file:
        return read_po(file, locale=language)


def key(message):
    return message.id if isinstance(message.id, str) else tuple(message.id)


def text(string):
    return string if isinstance(string, str) else tuple(string)


@pytest.fixture(scope="module")
def marked():
    return marked_messages()


def test_the_extraction_sees_the_code_the_templates_and_the_macros(marked):
    # Texts from a form label, a service message, a report label, a template and a macro: if babel.cfg lost a
    # path or a template stopped parsing, whole areas would silently drop out of the catalogs.
    for text in ("Kind of benefit", "An initiative cannot wait for itself.", "Since the last report",
                 "Steering meetings", "Please correct the fields marked below; nothing was saved."):
        assert text in marked
    assert len(marked) > 700


def test_every_marked_message_has_a_dutch_translation(marked):
    dutch = {key(m): m for m in catalog("nl") if m.id}
    missing = sorted(str(m) for m in marked if m not in dutch)
    assert not missing, "not in the Dutch catalog (run `make messages`, then translate):\n" + "\n".join(missing)
    untranslated = sorted(str(k) for k in marked if not all(dutch[k].string if isinstance(k, tuple)
                                                           else [dutch[k].string]))
    assert not untranslated, "without a Dutch translation:\n" + "\n".join(untranslated)
    fuzzy = sorted(str(k) for k in marked if dutch[k].fuzzy)
    assert not fuzzy, "Dutch translation marked fuzzy (check it, then remove the flag):\n" + "\n".join(fuzzy)


def test_the_english_catalog_lists_every_message_too(marked):
    english = {key(m) for m in catalog("en") if m.id}
    assert not sorted(str(m) for m in marked - english)


def test_translations_keep_every_placeholder():
    for message in catalog("nl"):
        if not message.id:
            continue
        ids = [message.id] if isinstance(message.id, str) else list(message.id)
        strings = [message.string] if isinstance(message.string, str) else list(message.string)
        wanted = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == wanted, (message.id, string)


def test_the_compiled_dutch_catalog_is_the_current_one():
    # `make translations` compiles the catalogs as part of installing; a stale .mo would show old texts.
    with open(TRANSLATIONS / "nl" / "LC_MESSAGES" / "messages.mo", "rb") as file:
        compiled = {key(m): text(m.string) for m in read_mo(file) if m.id}
    for message in catalog("nl"):
        if message.id:
            assert compiled.get(key(message)) == text(message.string), f"run `make translations`: {message.id!r}"


def test_no_catalog_carries_stale_fuzzy_flags():
    """English translates nothing (its texts are the msgids), so a fuzzy flag there is only noise left by merges."""
    for language in ("en", "nl"):
        fuzzy = sorted(str(message.id) for message in catalog(language) if message.id and message.fuzzy)
        assert fuzzy == [], language


def test_every_text_in_a_texts_file_reaches_the_catalogs(marked):
    # The tables kept as data beside their modules (stages.toml …): babel.cfg hands them to texts_extract.
    texts_files = [path for path in PACKAGE.rglob("*.toml") if not path.name.startswith("demo_")]
    assert len(texts_files) > 10
    for path in texts_files:
        with path.open("rb") as file:
            missing = set(strings(tomllib.load(file))) - marked
        assert not missing, f"{path.name}: {sorted(missing)}"


def test_the_demo_data_stays_out_of_the_catalogs(marked):
    assert "Stand at the Transport & Logistics fair" not in marked
