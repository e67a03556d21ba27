"""The maths of a round's results, as pure functions: medians, spreads, disagreement, suggestions, breakdowns.

Answers arrive as whole numbers on a scale (stage 1–6, readiness score 0–4, view level 1–3), or None for
"don't know", which counts as neither an answer nor a vote: it is reported on its own.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

# Answers two scale points apart or more: the raters see the organisation differently.
DISAGREEMENT_SPREAD = 2
# A group's figures are shown only when at least this many of its people answered, so no one's can be read off.
ANONYMITY_THRESHOLD = 3


@dataclass(frozen=True)
class Summary:
    """What the answers to one item say: how many, their median and range, and how they fall on the scale."""

    n: int
    dont_know: int
    median: Decimal | None
    low: int | None
    high: int | None
    distribution: tuple[int, ...]  # answers per point of the scale, lowest point first

    @property
    def spread(self) -> int | None:
        return None if self.n == 0 else self.high - self.low

    @property
    def disagreement(self) -> bool:
        return self.n > 0 and self.spread >= DISAGREEMENT_SPREAD

    @property
    def suggested(self) -> int | None:
        """The median rounded down: a middle answer, never flattering."""
        return rounded_down(self.median)


def median(values: Sequence[int]) -> Decimal | None:
    """The middle value; with an even number, halfway between the two middle ones. None without values."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle])
    return (Decimal(ordered[middle - 1]) + Decimal(ordered[middle])) / 2


def rounded_down(value: Decimal | None) -> int | None:
    return None if value is None else int(value.to_integral_value(rounding=ROUND_FLOOR))


def summarise(answers: Iterable[int | None], scale: Sequence[int]) -> Summary:
    """The summary of one item's answers on scale (its points in order); None answers are "don't know"."""
    answers = list(answers)
    values = [a for a in answers if a is not None]
    unknown = [v for v in values if v not in scale]
    if unknown:
        raise ValueError(f"answers outside the scale: {unknown}")
    return Summary(
        n=len(values), dont_know=len(answers) - len(values), median=median(values),
        low=min(values) if values else None, high=max(values) if values else None,
        distribution=tuple(values.count(point) for point in scale),
    )


def suggested_stage(per_dimension: Iterable[Iterable[int | None]]) -> int | None:
    """The overall stage a round suggests: the median of every dimension answer together, rounded down."""
    pooled = [a for answers in per_dimension for a in answers if a is not None]
    return rounded_down(median(pooled))


def by_function(answers: Iterable[tuple[str, int | None]], scale: Sequence[int],
                threshold: int = ANONYMITY_THRESHOLD) -> dict[str, Summary]:
    """Each function's summary of an item, for the functions with at least `threshold` real answers only.

    "Don't know" does not count towards the threshold: two answers and a shrug would still give both away.
    """
    grouped: dict[str, list[int | None]] = {}
    for function, answer in answers:
        grouped.setdefault(function, []).append(answer)
    summaries = {function: summarise(values, scale) for function, values in grouped.items()}
    return {function: summary for function, summary in sorted(summaries.items())
            if function and summary.n >= threshold}
