"""The organisation's themes found in comments, and new themes suggested from the phrases customers repeat.

A theme has keywords in English and in Dutch; a keyword is a word or a phrase, matched without regard to case or
accents and with its inflections ("delivery" finds "deliveries", "factuur" finds "facturen"; Snowball's stemmers
for each language), or a word ending in '*' that matches any word it begins ("factu*"). Suggestions are the
phrases of one to three words (stop words left out) that recur in at least a few comments and that
no theme matches; inflections of one phrase are counted together.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

from cxroadmap.text_analysis.words import CLAUSE_ENDS, stop_words, tokens, words

STEMMED_LANGUAGES = {"en": "english", "nl": "dutch"}
LONGEST_SUGGESTION = 3


@dataclass(frozen=True)
class Theme:
    """One of the organisation's themes: its key (as the organisation stores it) and its keywords per language."""

    key: str
    keywords_en: Sequence[str] = ()
    keywords_nl: Sequence[str] = ()


@dataclass(frozen=True)
class Suggestion:
    """A phrase customers repeat that no theme covers: as most often written, in how many comments, examples."""

    phrase: str
    count: int
    examples: tuple[str, ...]


@cache
def _stemmer(language: str):
    import snowballstemmer

    return snowballstemmer.stemmer(STEMMED_LANGUAGES[language])


@lru_cache(maxsize=100_000)
def _stem(language: str, word: str) -> str:
    """One word's stem, remembered: comments repeat their words, and the stemmer is plain Python (about a fifth
    of a millisecond a word)."""
    return _stemmer(language).stemWord(word)


def stems(text_words: Sequence[str], language: str) -> tuple[str, ...]:
    """The words' stems by the language's Snowball stemmer (words already folded)."""
    return tuple(_stem(language, word) for word in text_words)


@cache
def both_stop_words() -> frozenset:
    """English and Dutch words too common to name a theme."""
    return frozenset().union(*(stop_words(language) for language in STEMMED_LANGUAGES))


class ThemeMatcher:
    """Finds an organisation's themes in comments; build it once for many comments."""

    def __init__(self, themes: Iterable[Theme]):
        self.themes = list(themes)
        # Per theme: [(language, stems of the phrase, prefix or None)]
        self._keywords = []
        for theme in self.themes:
            found = []
            for language, keywords in (("en", theme.keywords_en), ("nl", theme.keywords_nl)):
                for keyword in keywords:
                    if keyword.strip().endswith("*"):
                        prefix = "".join(words(keyword))
                        if prefix:
                            found.append((language, (), prefix))
                    elif words(keyword):
                        found.append((language, stems(words(keyword), language), None))
            self._keywords.append(found)
        # The same, per theme by language: {language: [(stems of the phrase, prefix or None)]}.
        self._by_language = [{code: [(phrase, prefix) for language, phrase, prefix in found if language == code]
                              for code in STEMMED_LANGUAGES} for found in self._keywords]

    def matches(self, comment: str, language: str | None = None) -> list[str]:
        """The keys of the themes the comment mentions, in the order the themes were given: by the keywords of the
        comment's `language` when it is known, else by those of every language."""
        folded = words(comment)
        stemmed = {code: _Stemmed(stems(folded, code)) for code in STEMMED_LANGUAGES if language in (None, code)}
        return [theme.key for theme, keywords in zip(self.themes, self._by_language, strict=True)
                if any(_mentions(folded, found, phrase, prefix) for code, found in stemmed.items()
                       for phrase, prefix in keywords[code])]

    def counts(self, comments: Iterable[str]) -> Counter:
        """How many comments mention each theme."""
        return Counter(key for comment in comments for key in self.matches(comment))


class _Stemmed:
    """A comment's stems in order, and as a set: most keywords are one word, found by a look-up, and a phrase is
    looked for word by word only where its first word is."""

    def __init__(self, stemmed: tuple[str, ...]):
        self.words, self.known = stemmed, frozenset(stemmed)


def _mentions(folded: Sequence[str], stemmed: _Stemmed, phrase: tuple[str, ...], prefix: str | None) -> bool:
    if prefix is not None:
        return any(word.startswith(prefix) for word in folded)
    if not phrase or phrase[0] not in stemmed.known:
        return False
    if len(phrase) == 1:
        return True
    width, found = len(phrase), stemmed.words
    return any(found[i:i + width] == phrase for i in range(len(found) - width + 1) if found[i] == phrase[0])


def _phrases(comment: str) -> list[tuple[tuple[str, ...], str]]:
    """The comment's phrases: runs of one to three words within a clause, stop words left out, with at most one
    stop word between two of them ("track and trace" and "track & trace" are both track–trace); each with the
    words as written between its first and last."""
    stop, found, clause = both_stop_words(), [], []
    for token in tokens(comment) + ["."]:
        if token not in CLAUSE_ENDS:
            clause.append(token)
            continue
        content = [i for i, word in enumerate(clause) if word not in stop and not word.isdigit()]
        for first in range(len(content)):
            for last in range(first, min(first + LONGEST_SUGGESTION, len(content))):
                if last > first and content[last] - content[last - 1] > 2:
                    break
                positions = content[first:last + 1]
                found.append((tuple(clause[i] for i in positions),
                              " ".join(clause[positions[0]:positions[-1] + 1])))
        clause = []
    return found


class _Inflections:
    """Words that share a stem in English or in Dutch read as one (deliveries/delivery, leveringen/levering)."""

    def __init__(self):
        self.parent: dict[str, str] = {}

    def find(self, item: str) -> str:
        self.parent.setdefault(item, item)
        while self.parent[item] != item:
            self.parent[item] = self.parent[self.parent[item]]
            item = self.parent[item]
        return item

    def add(self, word: str) -> None:
        if word in self.parent:
            return
        for language in STEMMED_LANGUAGES:
            self.parent[self.find(word)] = self.find(f"{language}:{_stemmer(language).stemWord(word)}")


def suggest_themes(comments: Iterable[str], themes: Iterable[Theme] = (), *, minimum: int = 3,
                   limit: int = 10, examples: int = 3) -> list[Suggestion]:
    """Up to `limit` phrases that at least `minimum` comments use and no theme matches, most used first.

    A shorter phrase is left out when a longer one that holds it is used in at least four fifths of its comments
    ("credit" under "credit note"). Each suggestion carries up to `examples` comments that use it.
    """
    matcher = ThemeMatcher(themes)
    inflections = _Inflections()
    per_comment = []
    for comment in comments:
        phrases = set(_phrases(comment))
        for phrase, _ in phrases:
            for word in phrase:
                inflections.add(word)
        per_comment.append((comment, phrases))
    used_in: dict[tuple, list[str]] = defaultdict(list)
    written: dict[tuple, Counter] = defaultdict(Counter)
    for comment, phrases in per_comment:
        keys = {}
        for phrase, as_written in sorted(phrases):
            keys.setdefault(tuple(inflections.find(word) for word in phrase), as_written)
        for key, as_written in keys.items():
            used_in[key].append(comment)
            written[key][as_written] += 1
    frequent = {key: found for key, found in used_in.items() if len(found) >= minimum}
    kept = []
    for key, found in sorted(frequent.items(), key=lambda item: (-len(item[1]), -len(item[0]))):
        longer = [other for other in frequent if len(other) > len(key) and _holds(other, key)]
        if any(len(frequent[other]) * 5 >= len(found) * 4 for other in longer):
            continue
        phrase = written[key].most_common(1)[0][0]
        if matcher.matches(phrase):
            continue
        kept.append(Suggestion(phrase, len(found), tuple(found[:examples])))
        if len(kept) == limit:
            break
    return kept


def _holds(longer: tuple, shorter: tuple) -> bool:
    width = len(shorter)
    return any(longer[i:i + width] == shorter for i in range(len(longer) - width + 1))
