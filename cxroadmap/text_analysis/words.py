"""Words as the text analysis reads them: folded to lower case without accents, split into tokens."""

import re
import unicodedata
from functools import cache
from importlib import resources

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?;:,()]")
CLAUSE_ENDS = frozenset(".!?;:,()")


def fold(text: str) -> str:
    """Lower case without accents or ligatures: 'Geëxporteerd' and 'geexporteerd' read alike; 'ß' as 'ss'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char)).replace("’", "'")


def tokens(text: str) -> list[str]:
    """The folded words of text, with the punctuation that ends a clause kept as tokens of its own; an apostrophe
    inside a word is dropped ("didn't" reads as "didnt", "auto's" as "autos")."""
    return [token.replace("'", "") for token in _TOKEN.findall(fold(text))]


def words(text: str) -> list[str]:
    """The folded words of text, without punctuation."""
    return [token for token in tokens(text) if token not in CLAUSE_ENDS]


@cache
def stop_words(language: str) -> frozenset:
    """The language's words too common to carry a theme ('en' or 'nl'), read once from the package."""
    text = resources.files("cxroadmap.text_analysis").joinpath("stopwords", f"{language}.txt").read_text("utf-8")
    return frozenset(word for line in text.splitlines() for word in words(line.split("#", 1)[0]))


def language_of(text: str, default: str = "en") -> str:
    """'en' or 'nl': the language whose common words the text uses more; default when neither, or as many."""
    found = words(text)
    english = sum(1 for word in found if word in stop_words("en"))
    dutch = sum(1 for word in found if word in stop_words("nl"))
    return "en" if english > dutch else "nl" if dutch > english else default
