"""A comment's sentiment (positive, neutral, negative) in English or Dutch, from a domain lexicon with rules.

The lexicons (`lexicons/en.txt`, `lexicons/nl.txt`, written for this product, under its licence) give words and
phrases a valence from −3 to +3 as a B2B spare-parts customer means them ("wrong part", "op tijd", "klopt
niet"). The rules: the longest phrase wins, and a phrase may leave a gap of a few words ("werkt … niet", "lag …
plat": Dutch puts the negation or the particle at the end of the clause); a negator up to three words before a
term turns it over at three quarters of its strength ("not fast", "niet op tijd", as VADER does); an
intensifier or a dampener just before it scales it; after a contrast word ("but", "maar") the clause counts
more than before it; a cheerful interjection that opens a sentence which goes on to complain ("Great, another
wrong part") counts against it. Nothing is downloaded; everything is read from the package. How well it does is
measured by benchmarks/sentiment_bench.py (README, "What customers say").
"""

from dataclasses import dataclass
from functools import cache
from importlib import resources

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l
from cxroadmap.text_analysis.words import CLAUSE_ENDS, tokens

POSITIVE, NEUTRAL, NEGATIVE = "positive", "neutral", "negative"
SENTIMENTS = Choices(Choice(POSITIVE, _l("Positive")), Choice(NEUTRAL, _l("Neutral")),
                     Choice(NEGATIVE, _l("Negative")))
LANGUAGES = ("en", "nl")
NEGATION = -0.75
INTENSIFY, DAMPEN = 1.5, 0.5
BEFORE_CONTRAST, AFTER_CONTRAST = 0.5, 1.5
NEGATION_REACH = 3
# A comment whose weighed valences add up to less than this either way is neutral.
THRESHOLD = 1.0
LONGEST_PHRASE = 5
# How many words a phrase written with '...' may leave out between its two parts.
GAP = 4


@dataclass(frozen=True)
class Lexicon:
    """One language's terms (a tuple of words, the last may end in '*' to match any ending) and modifiers."""

    terms: dict
    prefixes: dict
    gapped: dict  # first part -> [(second part, valence)]
    negators: frozenset
    intensifiers: frozenset
    dampeners: frozenset
    contrasts: frozenset


@dataclass(frozen=True)
class Sentiment:
    """A comment's label and the score it rests on (the sum of its weighed valences)."""

    label: str
    score: float


@cache
def lexicon(language: str) -> Lexicon:
    """The lexicon of language ('en' or 'nl'), read once from the package."""
    if language not in LANGUAGES:
        raise ValueError(f"no sentiment lexicon for {language!r}")
    text = resources.files("cxroadmap.text_analysis").joinpath("lexicons", f"{language}.txt").read_text("utf-8")
    sections: dict[str, list[str]] = {}
    section = None
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        if line.startswith("[") and line.endswith("]"):
            section = sections.setdefault(line[1:-1], [])
        elif section is not None:
            section.append(line)
    terms, prefixes, gapped = {}, {}, {}
    for entry in sections.get("terms", []):
        phrase, valence = entry.rsplit(maxsplit=1)
        words = tuple(tokens(phrase))
        if "..." in phrase:
            head, tail = (tuple(tokens(part)) for part in phrase.split("..."))
            gapped.setdefault(head, []).append((tail, float(valence)))
        elif phrase.endswith("*"):
            prefixes[words] = float(valence)
        else:
            terms[words] = float(valence)
    # '*' is not a token character: a prefix entry's last word is stored without it.
    return Lexicon(terms, prefixes, gapped, *(frozenset(" ".join(tokens(w)) for w in sections.get(name, []))
                                      for name in ("negators", "intensifiers", "dampeners", "contrasts")))


def _match(lex: Lexicon, words: list[str], start: int) -> tuple[int, float] | None:
    """The term starting at words[start]: (its length, its valence). A phrase with a gap first, then the longest
    phrase, exact entries before prefixes."""
    for head_length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
        for tail, valence in lex.gapped.get(tuple(words[start:start + head_length]), ()):
            for at in range(start + head_length, min(start + head_length + GAP + 1, len(words))):
                if words[at] in CLAUSE_ENDS:
                    break
                if tuple(words[at:at + len(tail)]) == tail:
                    return at + len(tail) - start, valence
    for length in range(min(LONGEST_PHRASE, len(words) - start), 0, -1):
        candidate = tuple(words[start:start + length])
        if any(word in CLAUSE_ENDS for word in candidate[1:]):
            continue
        if candidate in lex.terms:
            return length, lex.terms[candidate]
        for cut in range(len(candidate[-1]), 2, -1):
            valence = lex.prefixes.get(candidate[:-1] + (candidate[-1][:cut],))
            if valence is not None:
                return length, valence
    return None


def _modifier(lex: Lexicon, words: list[str], start: int, end: int) -> float:
    """What the words before a term (from start up to end) do to it: negation, intensifying, dampening."""
    factor = 1.0
    for position in range(end - 1, max(start, end - NEGATION_REACH) - 1, -1):
        word, pair = words[position], " ".join(words[position - 1:position + 1]) if position > start else ""
        if word in CLAUSE_ENDS:
            break
        if word in lex.negators or pair in lex.negators:
            factor *= NEGATION
        elif position >= end - 2 and (word in lex.intensifiers or pair in lex.intensifiers):
            factor *= INTENSIFY
        elif position >= end - 2 and (word in lex.dampeners or pair in lex.dampeners):
            factor *= DAMPEN
    return factor


def score(text: str, language: str) -> Sentiment:
    """The sentiment of text in language ('en' or 'nl')."""
    lex = lexicon(language)
    words = tokens(text)
    hits: list[list] = []  # [position, valence, sentence number]
    position, last_end, sentence = 0, 0, 0
    contrast_at = -1
    while position < len(words):
        word = words[position]
        if word in ".!?":
            sentence += 1
        if word in lex.contrasts:
            contrast_at = position
        found = _match(lex, words, position)
        if found is None or (word in lex.intensifiers and _match(lex, words, position + 1)):
            position += 1
            continue
        length, valence = found
        valence *= _modifier(lex, words, last_end, position)
        hits.append([position, valence, sentence])
        position += length
        last_end = position
    for hit in hits:
        if contrast_at >= 0:
            hit[1] *= AFTER_CONTRAST if hit[0] > contrast_at else BEFORE_CONTRAST
    _sarcasm(words, hits)
    total = sum(hit[1] for hit in hits)
    label = POSITIVE if total >= THRESHOLD else NEGATIVE if total <= -THRESHOLD else NEUTRAL
    return Sentiment(label, round(total, 3))


def _sarcasm(words: list[str], hits: list[list]) -> None:
    """'Great, another wrong part': a positive word that opens a sentence, set off by a comma, followed in the same
    sentence by a complaint, is read as the complaint's irony."""
    for index, (position, valence, sentence) in enumerate(hits):
        opens = position == 0 or words[position - 1] in ".!?"
        set_off = position + 1 < len(words) and words[position + 1] == ","
        complaint = any(v < 0 and s == sentence for _, v, s in hits[index + 1:])
        if valence > 0 and opens and set_off and complaint:
            hits[index][1] = -valence / 2


def sentiment(text: str, language: str) -> str:
    """'positive', 'neutral' or 'negative': how the comment sounds, in English ('en') or Dutch ('nl')."""
    return score(text, language).label
