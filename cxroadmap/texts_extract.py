"""Babel's extractor for the texts files beside the modules (stages.toml …, read by `i18n.texts_beside`): every
string in them is an English text to translate, just as if it were written `_l("…")` in the module."""

import tomllib


def extract(fileobj, keywords, comment_tags, options):
    """(line, None, text, no comments) for each string of the file, in the file's order; the line is where the
    text starts, or the line of the text before it when the file writes it with escapes."""
    source = fileobj.read().decode("utf-8")
    found, line = 0, 1
    for text in strings(tomllib.loads(source)):
        at = source.find(text.split("\n")[0][:40], found)
        if at >= 0:
            found, line = at, source.count("\n", 0, at) + 1
        yield line, None, text, []


def strings(value):
    """Every string in a parsed TOML value, depth first and in order."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings(item)
