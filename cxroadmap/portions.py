"""How many of a counted whole: milestones kept of those due, teams with a current role, stages with recent data."""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Portion:
    """`part` of `whole`, with its share (0–1) and whole percentage; both None when there is no whole."""

    part: int
    whole: int

    @property
    def share(self) -> Decimal | None:
        return Decimal(self.part) / Decimal(self.whole) if self.whole else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None
