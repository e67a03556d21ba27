"""How fast an organisation's themes are found in a survey's comments: the survey page reads up to 2,000 comments
of the last 90 days (cxroadmap/surveys/themes.py), each by the keywords of its language.

    .venv/bin/python benchmarks/themes_bench.py

The comments are the labelled ones in benchmarks/data (English and Dutch, a B2B distributor's kind), repeated with a
number added to each until there are 2,000, matched against ten themes of five keywords per language. Printed: the
first read (no word's stem known yet, as after a restart) and a second read (the stems remembered), each beside
its goal.
"""

import csv
import sys
import time
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from cxroadmap.text_analysis import themes  # noqa: E402

DATA = REPOSITORY / "benchmarks" / "data"
COMMENTS = 2000
GOAL_FIRST_MS, GOAL_AGAIN_MS = 1500, 300
KEYWORDS = {
    "en": ["late", "delivery", "invoice", "price*", "wrong part", "driver", "phone", "webshop", "return", "quote",
           "stock", "order desk", "credit note", "damaged", "on time", "friendly", "manual", "courier", "van",
           "packaging", "tracking", "refund", "discount", "warranty", "mechanic", "engineer", "label", "pallet",
           "catalogue", "account", "login", "search", "lead time", "backorder", "rude", "helpful", "fast", "slow",
           "error", "missing", "broken", "cheap", "expensive", "complaint", "call", "email", "chat", "portal",
           "contract", "service"],
    "nl": ["te laat", "levering", "factu*", "prijs", "verkeerd", "chauffeur", "telefoon", "webshop", "retour",
           "offerte", "voorraad", "orderdesk", "creditnota", "beschadigd", "op tijd", "vriendelijk", "handleiding",
           "koerier", "bus", "verpakking", "track", "terugbetaling", "korting", "garantie", "monteur", "technicus",
           "etiket", "pallet", "catalogus", "account", "inloggen", "zoeken", "levertijd", "nalevering", "onbeleefd",
           "behulpzaam", "snel", "traag", "fout", "ontbreekt", "kapot", "goedkoop", "duur", "klacht", "bellen",
           "mail", "chat", "portaal", "contract", "service"],
}


def comments() -> list[tuple[str, str]]:
    found = []
    for language in ("en", "nl"):
        with (DATA / f"comments_{language}.tsv").open(encoding="utf-8") as file:
            found += [(row["comment"], language) for row in csv.DictReader(file, delimiter="\t")]
    return [(f"{comment} ({number})", language)
            for number, (comment, language) in zip(range(COMMENTS), found * (COMMENTS // len(found) + 1),
                                                   strict=False)]


def read(matcher: themes.ThemeMatcher, rows: list[tuple[str, str]]) -> tuple[float, int]:
    start = time.perf_counter()
    mentions = sum(len(matcher.matches(comment, language)) for comment, language in rows)
    return (time.perf_counter() - start) * 1000, mentions


def main() -> None:
    rows = comments()
    theme_list = [themes.Theme(str(n), KEYWORDS["en"][n * 5:n * 5 + 5], KEYWORDS["nl"][n * 5:n * 5 + 5])
                  for n in range(10)]
    matcher = themes.ThemeMatcher(theme_list)
    themes._stem.cache_clear()
    first, mentions = read(matcher, rows)
    again, _ = read(matcher, rows)
    print(f"{len(rows)} comments, 10 themes, {mentions} mentions found")
    print(f"first read (no stem known)    {first:7.0f} ms   goal ≤ {GOAL_FIRST_MS} ms   "
          f"{'met' if first <= GOAL_FIRST_MS else 'MISSED'}")
    print(f"second read (stems remembered){again:7.0f} ms   goal ≤ {GOAL_AGAIN_MS} ms   "
          f"{'met' if again <= GOAL_AGAIN_MS else 'MISSED'}")


if __name__ == "__main__":
    main()
