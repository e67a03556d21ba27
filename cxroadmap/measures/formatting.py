"""KPI figures written as the reader writes numbers, in the KPI's unit, and the sparkline's geometry."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

PATTERNS = {"nps": "#,##0.0", "csat": "#,##0.0", "ces": "#,##0.00", "percentage": "#,##0.#"}
PERCENT_MEASURES = ("csat", "percentage")


def format_value(value: Decimal | None, measure: str, unit: str = "", locale: str = "en") -> str:
    """'32.5' for an NPS, '87.5%' for a percentage, '2.4 days', '1.234,5 €' …; nothing reads as an em dash."""
    if value is None:
        return "—"
    text = format_decimal(value, format=PATTERNS.get(measure, "#,##0.##"), locale=locale)
    if unit == "%" or (not unit and measure in PERCENT_MEASURES):
        return f"{text}%"
    return f"{text} {unit}" if unit else text


def format_achievement(value: Decimal | None, locale: str = "en") -> str:
    """'27.8%' (en) or '27,8%' (nl); no achievement reads as an em dash."""
    if value is None:
        return "—"
    return format_decimal(value, format="#,##0.0", locale=locale) + "%"


def format_change(value: Decimal | None, measure: str, unit: str = "", locale: str = "en") -> str:
    """A signed change: '+5.0', '−0.5 days'; nothing reads as an em dash."""
    if value is None:
        return "—"
    text = format_value(abs(value), measure, unit, locale)
    return ("+" if value > 0 else "−" if value < 0 else "±") + text


@dataclass(frozen=True)
class Plot:
    """Where readings and the baseline→target line land in a box of width × height (y grows downwards)."""

    points: list[tuple[float, float]]
    line: tuple[tuple[float, float], tuple[float, float]]
    low: Decimal
    high: Decimal
    width: int
    height: int
    first: date
    last: date
    today_x: float | None = None  # where today falls, when it lies between first and last

    @property
    def polyline(self) -> str:
        return " ".join(f"{x:.1f},{y:.1f}" for x, y in self.points)


def plot(readings: Sequence[tuple[date, Decimal]], baseline: tuple[date, Decimal], target: tuple[date, Decimal],
         width: int, height: int, pad: int = 4, left: int | None = None, bottom: int | None = None,
         today: date | None = None) -> Plot:
    """Readings and the plan on one time axis from the first date to the last (baseline, target, readings).

    `left` and `bottom` leave room for labels beside and below the plot (default: pad).
    """
    left = pad if left is None else left
    bottom = pad if bottom is None else bottom
    days = [baseline[0], target[0], *(day for day, _ in readings)]
    values = [baseline[1], target[1], *(value for _, value in readings)]
    first, last = min(days), max(days)
    low, high = min(values), max(values)
    span_days = max((last - first).days, 1)
    span = high - low or Decimal(1)

    def x_of(day: date) -> float:
        return round(left + (width - left - pad) * (day - first).days / span_days, 1)

    def at(day: date, value: Decimal) -> tuple[float, float]:
        return x_of(day), round(pad + (height - pad - bottom) * float((high - value) / span), 1)

    return Plot(points=[at(day, value) for day, value in readings], line=(at(*baseline), at(*target)),
                low=low, high=high, width=width, height=height, first=first, last=last,
                today_x=x_of(today) if today is not None and first < today < last else None)
