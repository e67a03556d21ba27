"""Driver analysis: how much of the headline score each touchpoint rated explains (Johnson's relative weights).

With Rxx = QΛQᵀ the touchpoints' correlation matrix and L = QΛ^½Qᵀ, β = L⁻¹·rxy (rxy: each touchpoint's
correlation with the score); the raw weight of touchpoint j is Σₖ Lⱼₖ²·βₖ². The raw weights add up to R², and
each divided by R² is its share (Johnson 2000, "A heuristic method for estimating the relative weight of
predictor variables in multiple regression"). numpy does the linear algebra in floats; results are Decimals:
R², raw weights and correlations to four decimals, shares as percentages to two.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

ANSWERS_PER_TOUCHPOINT = 10
# Eigenvalues below this (relative to the largest) are taken as zero: touchpoints rated in perfect lockstep.
SINGULAR = 1e-10
FOUR_PLACES, TWO_PLACES = Decimal("0.0001"), Decimal("0.01")

# Why an analysis is not shown (labels in `statistics.labels`).
NO_TOUCHPOINTS = "no_touchpoints"
TOO_FEW_ANSWERS = "too_few_answers"
NO_SPREAD_IN_SCORE = "no_spread_in_score"
NO_SPREAD_IN_TOUCHPOINTS = "no_spread_in_touchpoints"


@dataclass(frozen=True)
class Driver:
    """One touchpoint's part: raw weight (R² explained), share (% of R²), and its correlation with the score.

    A touchpoint every answer rated the same (no spread) explains nothing: weight 0, share 0, correlation None.
    """

    key: str
    raw_weight: Decimal
    share: Decimal
    correlation: Decimal | None


@dataclass(frozen=True)
class DriverAnalysis:
    """R², n (answers that rated every touchpoint) and the drivers, largest raw weight first.

    refusal: None when shown; otherwise why not ('too_few_answers', 'no_touchpoints', 'no_spread_in_score',
    'no_spread_in_touchpoints'), with r_squared None and no drivers. touchpoints: how many were rated;
    needed: the answers the analysis asks for (per_touchpoint × touchpoints).
    """

    n: int
    r_squared: Decimal | None
    drivers: tuple[Driver, ...]
    touchpoints: int
    per_touchpoint: int = ANSWERS_PER_TOUCHPOINT
    refusal: str | None = None

    @property
    def needed(self) -> int:
        return self.per_touchpoint * self.touchpoints

    @property
    def shown(self) -> bool:
        return self.refusal is None


def _four(value: float) -> Decimal:
    rounded = Decimal(repr(float(value))).quantize(FOUR_PLACES, ROUND_HALF_UP)
    return rounded.copy_abs() if rounded.is_zero() else rounded


def relative_weights_of_correlations(keys: Sequence[str], rxx, rxy, n: int, *,
                                     per_touchpoint: int = ANSWERS_PER_TOUCHPOINT) -> DriverAnalysis:
    """Johnson's relative weights from the touchpoints' correlation matrix rxx and their correlations rxy with
    the score (n: the answers they come from; it is reported, not used). A singular rxx (touchpoints rated in
    lockstep) is handled by leaving out its zero eigenvalues: identical touchpoints share their weight equally.
    """
    import numpy as np

    rxx, rxy = np.asarray(rxx, dtype=float), np.asarray(rxy, dtype=float)
    eigenvalues, eigenvectors = np.linalg.eigh(rxx)
    eigenvalues = np.where(eigenvalues > SINGULAR * max(eigenvalues.max(), 1.0), eigenvalues, 0.0)
    roots = np.sqrt(eigenvalues)
    inverse_roots = np.divide(1.0, roots, out=np.zeros_like(roots), where=roots > 0)
    lam = eigenvectors @ np.diag(roots) @ eigenvectors.T
    beta = eigenvectors @ np.diag(inverse_roots) @ eigenvectors.T @ rxy
    raw = (lam ** 2) @ (beta ** 2)
    r_squared = float(raw.sum())
    drivers = [Driver(key, _four(weight), _share(weight, r_squared), _four(r))
               for key, weight, r in zip(keys, raw, rxy, strict=True)]
    drivers.sort(key=lambda driver: driver.raw_weight, reverse=True)
    return DriverAnalysis(n, _four(r_squared), tuple(drivers), len(keys), per_touchpoint)


def _share(weight: float, r_squared: float) -> Decimal:
    if r_squared <= 0:
        return Decimal("0.00")
    return Decimal(repr(float(100 * weight / r_squared))).quantize(TWO_PLACES, ROUND_HALF_UP)


def relative_weights(scores: Sequence[float | None], ratings: Mapping[str, Sequence[float | None]], *,
                     per_touchpoint: int = ANSWERS_PER_TOUCHPOINT) -> DriverAnalysis:
    """Driver analysis of the headline scores against each touchpoint's ratings, answer by answer.

    ratings maps a touchpoint's key to its ratings, one per score in the same order, None where that answer did
    not rate it (a score may be None too). Only answers with a score that rated every touchpoint count (n).
    Refused, saying why, with fewer than per_touchpoint (ten) such answers per touchpoint, or when the score or
    every touchpoint has no spread; a touchpoint rated the same by every answer is kept in the list with weight 0
    and left out of the maths.
    """
    import numpy as np

    keys = list(ratings)

    def refused(n: int, refusal: str) -> DriverAnalysis:
        return DriverAnalysis(n, None, (), len(keys), per_touchpoint, refusal)

    if not keys:
        return refused(0, NO_TOUCHPOINTS)
    for key in keys:
        if len(ratings[key]) != len(scores):
            raise ValueError(f"touchpoint {key} has {len(ratings[key])} ratings for {len(scores)} scores")
    complete = [i for i in range(len(scores))
                if scores[i] is not None and all(ratings[key][i] is not None for key in keys)]
    n = len(complete)
    if n < per_touchpoint * len(keys):
        return refused(n, TOO_FEW_ANSWERS)
    y = np.array([float(scores[i]) for i in complete])
    x = np.array([[float(ratings[key][i]) for key in keys] for i in complete])
    if np.ptp(y) == 0:
        return refused(n, NO_SPREAD_IN_SCORE)
    varying = [j for j in range(len(keys)) if np.ptp(x[:, j]) > 0]
    if not varying:
        return refused(n, NO_SPREAD_IN_TOUCHPOINTS)
    correlations = np.corrcoef(np.column_stack([x[:, varying], y]), rowvar=False)
    analysis = relative_weights_of_correlations([keys[j] for j in varying], correlations[:-1, :-1],
                                                correlations[:-1, -1], n, per_touchpoint=per_touchpoint)
    by_key = {driver.key: driver for driver in analysis.drivers}
    drivers = [by_key.get(key, Driver(key, Decimal("0.0000"), Decimal("0.00"), None)) for key in keys]
    drivers.sort(key=lambda driver: driver.raw_weight, reverse=True)
    return DriverAnalysis(n, analysis.r_squared, tuple(drivers), len(keys), per_touchpoint)
