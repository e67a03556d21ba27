"""Words as the text analysis reads them: folded to lower case without accents, split into tokens."""

import re
import unicodedata

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
