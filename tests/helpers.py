"""Small helpers for page tests: read a page as a user sees it."""

import re
from html import unescape

_INLINE_TAGS = re.compile(r"</?(strong|em|b|i|span|a|small|abbr|code)(\s[^>]*)?>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")


def page_text(response) -> str:
    """The visible text of a page: tags dropped, entities turned back into characters, spaces collapsed."""
    body = response.get_data(as_text=True)
    body = body.split("<body", 1)[-1].split(">", 1)[-1]
    text = _TAGS.sub(" ", _INLINE_TAGS.sub("", body))
    return re.sub(r"\s+", " ", unescape(text))


def field_error(response, field_id: str) -> str:
    """The error message shown beside the field with this id ('' when there is none)."""
    body = response.get_data(as_text=True)
    marker = f'id="{field_id}-error"'
    if marker not in body:
        return ""
    start = body.index(">", body.index(marker)) + 1
    return unescape(body[start:body.index("</div>", start)]).strip()
