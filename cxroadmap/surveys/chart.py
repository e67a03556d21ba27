"""A survey's charts (reportlab Drawings, drawn to SVG by the charts): the distribution of its scores as bars, and
its touchpoints' importance against their performance."""

import math
from dataclasses import dataclass
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Line, Rect, String
from reportlab.lib import colors

from cxroadmap.charts.drawings import _width, fitted, wrapped
from cxroadmap.palette import BOLD, FONT, HEALTH, INK, LINE, MUTED, SHADE

HEIGHT = 150


def _colour(measure: str, score: int):
    if measure == "nps":
        return HEALTH["red"] if score <= 6 else HEALTH["amber"] if score <= 8 else HEALTH["green"]
    if measure == "csat":
        return HEALTH["red"] if score <= 2 else HEALTH["amber"] if score == 3 else HEALTH["green"]
    return HEALTH["red"] if score <= 3 else HEALTH["amber"] if score <= 5 else HEALTH["green"]


def distribution(measure: str, scale: list[int], counts: dict[int, int], width: float, text: float = 12) -> Drawing:
    """One bar per point of the scale, its height the share of answers, its count above it."""
    drawing = Drawing(width, HEIGHT)
    total = sum(counts.values()) or 1
    most = max(counts.values(), default=0) or 1
    bottom, top = text * 1.8, HEIGHT - text * 1.6
    slot = width / len(scale)
    bar = slot * 0.68
    drawing.add(Line(0, bottom, width, bottom, strokeColor=LINE, strokeWidth=1))
    for index, score in enumerate(scale):
        count = counts.get(score, 0)
        x = index * slot + (slot - bar) / 2
        height = (top - bottom) * count / most
        if count:
            drawing.add(Rect(x, bottom, bar, height, fillColor=_colour(measure, score), strokeColor=None))
        drawing.add(String(x + bar / 2, bottom + height + 3, f"{round(100 * count / total)}%" if count else "",
                           fontName=BOLD, fontSize=text * 0.85, fillColor=INK, textAnchor="middle"))
        drawing.add(String(x + bar / 2, bottom - text * 1.2, str(score), fontName=FONT, fontSize=text,
                           fillColor=MUTED, textAnchor="middle"))
    return drawing


# -- importance against performance ---------------------------------------------------------------------

@dataclass(frozen=True)
class PlottedDriver:
    """One touchpoint on the importance–performance chart."""

    name: str
    share: Decimal  # importance: its % of the explained score
    performance: Decimal  # its mean rating, 1–7
    quadrant: str


@dataclass(frozen=True)
class _Frame:
    left: float
    right: float
    bottom: float
    top: float
    low: float  # the performance axis runs from low …
    high: float  # … to high (mean ratings)
    most: float  # the importance axis runs from 0 to most (%)

    def x(self, performance) -> float:
        return self.left + (self.right - self.left) * (float(performance) - self.low) / (self.high - self.low)

    def y(self, share) -> float:
        return self.bottom + (self.top - self.bottom) * float(share) / self.most


QUADRANT_COLOURS = {"fix_first": HEALTH["red"], "keep_up": HEALTH["green"], "lower_priority": MUTED,
                    "possible_overkill": HEALTH["amber"]}
_Box = tuple[float, float, float, float]


def _overlap(box: _Box, others: list[_Box]) -> float:
    """How much area box shares with the others."""
    x0, y0, x1, y1 = box
    return sum(max(0.0, min(x1, b[2]) - max(x0, b[0])) * max(0.0, min(y1, b[3]) - max(y0, b[1])) for b in others)


def _outside(box: _Box, frame: _Frame) -> float:
    """How far box reaches out of the plot (0 when inside)."""
    return (max(0.0, frame.left - 2 - box[0]) + max(0.0, box[2] - frame.right - 2) + max(0.0, frame.bottom - box[1])
            + max(0.0, box[3] - frame.top))


def _spots(x: float, y: float, width: float, height: float, gap: float) -> list[_Box]:
    """The places a label width × height may take around the point (x, y), gap away: beside, above, below, at the
    corners."""
    tops = [y + height / 2, y + height / 2, y + gap + height, y - gap, y + gap + height, y - gap, y + gap + height,
            y - gap]
    lefts = [x + gap, x - gap - width, x - width / 2, x - width / 2, x + 2, x + 2, x - 2 - width, x - 2 - width]
    return [(left, top - height, left + width, top) for left, top in zip(lefts, tops, strict=True)]


def _label_box(x: float, y: float, lines: list[str], size: float, frame: _Frame, taken: list[_Box]) -> _Box:
    """Where a point's label goes: close beside, above, below or at a corner of it, else further away (a thin line
    then leads to it), the first place that stays inside the plot and clear of what is already drawn; when none
    is clear, the place that covers least."""
    width = max(_width(line, FONT, size) for line in lines)
    height = size * 1.15 * len(lines)
    boxes = [box for gap in (6, 6 + size * 1.6, 6 + size * 3.2) for box in _spots(x, y, width, height, gap)]
    for box in boxes:
        if not _outside(box, frame) and not _overlap(box, taken):
            return box
    return min(boxes, key=lambda box: _outside(box, frame) * 1000 + _overlap(box, taken))


def _draw_label(drawing: Drawing, x: float, y: float, lines: list[str], box: _Box, size: float) -> None:
    """The label's lines in its box; a thin line from the point when the label stands apart from it."""
    near_x, near_y = min(max(x, box[0]), box[2]), min(max(y, box[1]), box[3])
    if math.hypot(near_x - x, near_y - y) > 10:
        drawing.add(Line(x, y, near_x, near_y, strokeColor=MUTED, strokeWidth=0.6))
    for number, line in enumerate(lines):
        drawing.add(String(box[0], box[3] - size * 0.8 - number * size * 1.15, line, fontName=FONT, fontSize=size,
                           fillColor=INK))


def _frame(points: list[PlottedDriver], width: float, text: float) -> _Frame:
    ratings = [float(p.performance) for p in points]
    low = max(1.0, math.floor(min(ratings) - 0.3))
    high = min(7.0, math.ceil(max(ratings) + 0.3))
    if high - low < 2:
        low, high = max(1.0, high - 2), min(7.0, max(high, low + 2))
    # Room above the most important touchpoint for its name, below the corner's quadrant name.
    most = max(10.0, math.ceil(max(float(p.share) for p in points) * 1.12 / 10) * 10)
    height = min(max(width * 0.72, 330), 460)
    return _Frame(left=text * 3.4, right=width - 6, bottom=text * 4.2, top=height - text * 1.9, low=low, high=high,
                  most=min(most, 100.0))


def _axes(drawing: Drawing, frame: _Frame, text: float, titles: tuple[str, str]) -> None:
    for rating in range(int(frame.low), int(frame.high) + 1):
        x = frame.x(rating)
        drawing.add(Line(x, frame.bottom, x, frame.top, strokeColor=SHADE, strokeWidth=0.6))
        drawing.add(String(x, frame.bottom - text * 1.2, str(rating), fontName=FONT, fontSize=text, fillColor=MUTED,
                           textAnchor="middle"))
    for share in range(0, int(frame.most) + 1, 10 if frame.most <= 50 else 20):
        y = frame.y(share)
        drawing.add(Line(frame.left, y, frame.right, y, strokeColor=SHADE, strokeWidth=0.6))
        drawing.add(String(frame.left - 4, y - text / 3, f"{share}%", fontName=FONT, fontSize=text, fillColor=MUTED,
                           textAnchor="end"))
    drawing.add(Rect(frame.left, frame.bottom, frame.right - frame.left, frame.top - frame.bottom,
                     fillColor=None, strokeColor=LINE, strokeWidth=1))
    importance, performance = titles
    drawing.add(String(0, frame.top + text * 0.8, fitted(importance, frame.right, text, BOLD), fontName=BOLD,
                       fontSize=text, fillColor=INK))
    drawing.add(String(frame.right, text * 0.4, fitted(performance, frame.right, text, BOLD), fontName=BOLD,
                       fontSize=text, fillColor=INK, textAnchor="end"))


def _quadrants(drawing: Drawing, frame: _Frame, text: float, middle: tuple[float, float],
               names: dict[str, str]) -> list[_Box]:
    """The lines at the averages and each quadrant's name in its outer corner; the boxes the names take."""
    mid_x, mid_y = middle
    drawing.add(Line(mid_x, frame.bottom, mid_x, frame.top, strokeColor=MUTED, strokeWidth=1, strokeDashArray=[4, 3]))
    drawing.add(Line(frame.left, mid_y, frame.right, mid_y, strokeColor=MUTED, strokeWidth=1, strokeDashArray=[4, 3]))
    corners = {"fix_first": (frame.left + 4, frame.top - text * 1.1, "start"),
               "keep_up": (frame.right - 4, frame.top - text * 1.1, "end"),
               "lower_priority": (frame.left + 4, frame.bottom + text * 0.4, "start"),
               "possible_overkill": (frame.right - 4, frame.bottom + text * 0.4, "end")}
    boxes = []
    for quadrant, (x, y, anchor) in corners.items():
        name = names[quadrant]
        width = _width(name, BOLD, text)
        drawing.add(String(x, y, name, fontName=BOLD, fontSize=text, fillColor=QUADRANT_COLOURS[quadrant],
                           textAnchor=anchor))
        x0 = x if anchor == "start" else x - width
        boxes.append((x0 - 2, y - text * 0.3, x0 + width + 2, y + text))
    return boxes


def _name_lines(name: str, width: float, size: float, most: int = 3) -> list[str]:
    """A touchpoint's name in lines that fit width, at most `most`; a longer name ends in an ellipsis."""
    lines = wrapped(name, width, size)
    if len(lines) <= most:
        return lines
    return [*lines[:most - 1], fitted(" ".join(lines[most - 1:]), width, size)]


def importance_performance(points: list[PlottedDriver], average_share: Decimal, average_performance: Decimal,
                           width: float, names: dict[str, str], titles: tuple[str, str],
                           text: float = 12) -> Drawing:
    """Each touchpoint at its mean rating (across) and its share of the explained score (up), the lines at the
    averages dividing the four quadrants, each named in its corner ("Fix first": important and doing worse).
    Names are placed where they overlap no other name when there is such a place; nothing is smaller than text."""
    frame = _frame(points, width, text)
    drawing = Drawing(width, frame.top + text * 1.9)
    _axes(drawing, frame, text, titles)
    taken = _quadrants(drawing, frame, text, (frame.x(average_performance), frame.y(average_share)), names)
    spots = [(frame.x(p.performance), frame.y(p.share), p) for p in points]
    taken += [(x - 5, y - 5, x + 5, y + 5) for x, y, _p in spots]
    for x, y, point in spots:
        drawing.add(Circle(x, y, 4.5, fillColor=QUADRANT_COLOURS[point.quadrant], strokeColor=colors.white,
                           strokeWidth=1))
    for x, y, point in sorted(spots, key=lambda spot: -spot[2].share):
        lines = _name_lines(point.name, (frame.right - frame.left) * 0.42, text)
        box = _label_box(x, y, lines, text, frame, taken)
        taken.append(box)
        _draw_label(drawing, x, y, lines, box, text)
    return drawing


def message(text: str, width: float, size: float = 12) -> Drawing:
    """A chart's place when there is nothing to draw: why, in lines that fit."""
    lines = wrapped(text, width - 8, size)
    drawing = Drawing(width, size * 1.4 * len(lines) + size)
    for number, line in enumerate(lines):
        drawing.add(String(4, drawing.height - size * 1.4 * (number + 1), line, fontName=FONT, fontSize=size,
                           fillColor=MUTED))
    return drawing
