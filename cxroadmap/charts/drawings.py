"""The charts, as reportlab.graphics Drawings: placed in PDFs as vectors, rendered to SVG for pages.

Each takes plain figures (from services) and returns a Drawing; none reads the database. Text goes in as
String shapes, which draw it literally, whatever it holds.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from cxroadmap.i18n import _, format_share
from cxroadmap.money import format_money
from cxroadmap.palette import ACCENT, BOLD, FONT, HEALTH, INK, KIND, LINE, MUTED, REACHED, SHADE
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS, SHORT_LABELS
from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES

WHITE = colors.white


def _text(x, y, text, size=8, font=FONT, colour=INK, anchor="start") -> String:
    return String(x, y, str(text), fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def ladder(steps: list[dict], width: float, height: float = 150) -> Drawing:
    """Six steps rising left to right; the current one dark, reached ones light, the target outlined."""
    drawing = Drawing(width, height)
    gap, bottom = 6, 34
    step_width = (width - gap * 5) / 6
    for index, step in enumerate(steps):
        x = index * (step_width + gap)
        lowest = 34  # room for the number above the name, even on the first step
        step_height = lowest + (height - bottom - 14 - lowest) * index / 5
        fill = INK if step["current"] else REACHED if step["reached"] else SHADE
        drawing.add(Rect(x, bottom, step_width, step_height, fillColor=fill, strokeColor=None))
        if step["target"]:
            drawing.add(Rect(x - 2, bottom - 2, step_width + 4, step_height + 4, fillColor=None,
                             strokeColor=ACCENT, strokeWidth=2, strokeDashArray=[4, 2]))
        ink = WHITE if step["current"] else INK
        drawing.add(_text(x + step_width / 2, bottom + step_height - 14, str(step["number"]), 11, BOLD, ink, "middle"))
        drawing.add(_text(x + step_width / 2, bottom + 6, step["choice"].label, 7, BOLD if step["current"] else FONT,
                          ink, "middle"))
        views = f"{EXPERIENCE_LEVELS.label(step['experience'])} · {SERVICE_POSTURES.label(step['posture'])}"
        drawing.add(_text(x + step_width / 2, bottom - 12, views, 5.8, FONT, MUTED, "middle"))
    drawing.add(Rect(0, 2, 8, 8, fillColor=INK, strokeColor=None))
    drawing.add(_text(11, 3, _("current"), 7, colour=MUTED))
    drawing.add(Rect(52, 2, 8, 8, fillColor=REACHED, strokeColor=None))
    drawing.add(_text(63, 3, _("reached"), 7, colour=MUTED))
    drawing.add(Rect(104, 2, 8, 8, fillColor=None, strokeColor=ACCENT, strokeDashArray=[2, 1]))
    drawing.add(_text(115, 3, _("target"), 7, colour=MUTED))
    return drawing


def _bar_rows(rows: list[tuple[str, float, str, colors.Color]], width: float, label_width: float) -> Drawing:
    """Horizontal bars: (label, share 0–1, value text, colour) per row."""
    row_height = 20
    drawing = Drawing(width, row_height * len(rows) + 4)
    track = width - label_width - 70
    for index, (name, share, value, colour) in enumerate(rows):
        y = drawing.height - (index + 1) * row_height + 5
        drawing.add(_text(0, y + 2, name, 8))
        drawing.add(Rect(label_width, y, track, 9, fillColor=SHADE, strokeColor=None))
        if share > 0:
            drawing.add(Rect(label_width, y, track * min(share, 1), 9, fillColor=colour, strokeColor=None))
        drawing.add(_text(label_width + track + 6, y + 1, value, 8, BOLD))
    return drawing


def readiness(scores: dict[str, int | None], coverage_share: float | None, width: float) -> Drawing:
    """The three readiness scores (0–4) and the share of teams with a current role statement."""
    rows = []
    for question in QUESTIONS:
        score = scores.get(question.key)
        colour = HEALTH["red"] if (score or 0) <= 1 else HEALTH["amber"] if score == 2 else HEALTH["green"]
        rows.append((SHORT_LABELS[question.key], (score or 0) / MAX_SCORE,
                     "—" if score is None else f"{score} / {MAX_SCORE}", colour))
    rows.append((_("Teams with a current role"), coverage_share or 0, format_share(coverage_share), INK))
    return _bar_rows(rows, width, label_width=130)


def benefits_by_kind(amounts: dict[str, Decimal], labels: dict[str, str], currency: str, locale: str,
                     width: float) -> Drawing:
    top = max(amounts.values(), default=Decimal(0)) or Decimal(1)
    rows = [(labels[kind], float(amount / top), format_money(amount, currency, locale, whole=True), KIND[kind])
            for kind, amount in amounts.items()]
    return _bar_rows(rows, width, label_width=150)


def benefits_by_year(amounts: dict[int, Decimal], currency: str, locale: str, width: float,
                     height: float = 150) -> Drawing:
    """Columns, one per calendar year, each labelled with its amount."""
    drawing = Drawing(width, height)
    bottom, top_room = 18, 18
    years = list(amounts)
    top = max(amounts.values(), default=Decimal(0)) or Decimal(1)
    slot = width / max(len(years), 1)
    column = min(70, slot * 0.55)
    drawing.add(Line(0, bottom, width, bottom, strokeColor=LINE, strokeWidth=0.8))
    for index, year in enumerate(years):
        x = index * slot + (slot - column) / 2
        bar = float(amounts[year] / top) * (height - bottom - top_room)
        drawing.add(Rect(x, bottom, column, max(bar, 0.5), fillColor=INK, strokeColor=None))
        drawing.add(_text(x + column / 2, bottom + bar + 4, format_money(amounts[year], currency, locale, whole=True),
                          8, BOLD, INK, "middle"))
        drawing.add(_text(x + column / 2, 5, str(year), 8, FONT, MUTED, "middle"))
    return drawing


def quarter_of(day: date) -> int:
    """Quarters since year 0, so that quarter arithmetic is subtraction."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_label(number: int) -> str:
    return f"Q{number % 4 + 1} {number // 4}"


def timeline(rows: list[dict], first_quarter: int, quarters: int, width: float, today: date | None = None) -> Drawing:
    """Bars by quarter: rows of {'kind': 'group', 'label'} or {'label', 'start', 'due', 'health'}; today marked."""
    head = 22
    drawing = Drawing(width, head + TIMELINE_ROW * len(rows) + 2)
    grid = _Quarters(first_quarter, quarters, (width - TIMELINE_LABELS) / quarters, drawing.height - head)
    _timeline_axis(drawing, grid)
    if today is not None:
        position = grid.position(today)
        if 0 <= position <= quarters:
            x = TIMELINE_LABELS + position * grid.slot
            drawing.add(Line(x, 0, x, grid.top, strokeColor=ACCENT, strokeWidth=1, strokeDashArray=[2, 2]))
    for index, row in enumerate(rows):
        y = grid.top - (index + 1) * TIMELINE_ROW
        if row.get("kind") == "group":
            drawing.add(_text(0, y + 3, row["label"], 7.5, BOLD, INK))
            drawing.add(Line(0, y + 1, width, y + 1, strokeColor=LINE, strokeWidth=0.5))
        else:
            _timeline_bar(drawing, grid, row, y, width)
    return drawing


TIMELINE_LABELS, TIMELINE_ROW = 170, 13


@dataclass(frozen=True)
class _Quarters:
    """The timeline's horizontal scale: which quarters it shows, how wide each is, where the bars begin."""
    first: int
    count: int
    slot: float
    top: float

    @property
    def last(self) -> int:
        return self.first + self.count - 1

    def position(self, day: date) -> float:
        """Quarters from the first one's start to `day`, fractional within its quarter."""
        return quarter_of(day) - self.first + ((day.month - 1) % 3 * 30 + day.day) / 92


def _timeline_axis(drawing: Drawing, grid: _Quarters) -> None:
    for q in range(grid.count):
        x = TIMELINE_LABELS + q * grid.slot
        if q % 2 == 0:
            drawing.add(Rect(x, 0, grid.slot, grid.top, fillColor=colors.HexColor("#f7f9fb"), strokeColor=None))
        quarter = grid.first + q
        drawing.add(_text(x + grid.slot / 2, grid.top + 11, f"Q{quarter % 4 + 1}", 6.5, FONT, MUTED, "middle"))
        if quarter % 4 == 0 or q == 0:
            drawing.add(_text(x + 2, grid.top + 3, str(quarter // 4), 6.5, BOLD, MUTED))


def _timeline_bar(drawing: Drawing, grid: _Quarters, row: dict, y: float, width: float) -> None:
    """One initiative: its label, and its bar with milestones and conflict mark, or where it lies off the axis."""
    drawing.add(_text(4, y + 3, row["label"], 7, FONT, INK))
    start = quarter_of(row["start"] or row["due"])
    end = quarter_of(row["due"] or row["start"])
    if end < grid.first:
        ended = _("ended %(quarter)s", quarter=quarter_label(end))
        drawing.add(_text(TIMELINE_LABELS + 3, y + 3.5, ended, 6.5, FONT, MUTED))
        return
    if start > grid.last:
        starts = _("starts %(quarter)s", quarter=quarter_label(start))
        drawing.add(_text(width - 3, y + 3.5, starts, 6.5, FONT, MUTED, "end"))
        return
    first, last = max(start, grid.first), min(end, grid.last)
    x = TIMELINE_LABELS + (first - grid.first) * grid.slot + 1
    drawing.add(Rect(x, y + 2, (last - first + 1) * grid.slot - 2, TIMELINE_ROW - 5,
                     fillColor=HEALTH.get(row["health"], INK), strokeColor=None,
                     strokeWidth=1.5 if row.get("conflict") else 0))
    if row.get("conflict"):
        drawing.add(_text(x - 1, y + 3, "!", 8, BOLD, HEALTH["red"], "end"))
    for due in row.get("milestones", ()):
        position = grid.position(due)
        if 0 <= position <= grid.count:
            mx, my = TIMELINE_LABELS + position * grid.slot, y + TIMELINE_ROW / 2 - 1
            drawing.add(Polygon([mx, my + 4, mx + 4, my, mx, my - 4, mx - 4, my], fillColor=ACCENT,
                                strokeColor=WHITE, strokeWidth=0.6))
    if start < grid.first:
        drawing.add(_text(x + 2, y + 3.5, "◀", 6, FONT, WHITE))
    if end > grid.last:
        drawing.add(_text(x + (last - first + 1) * grid.slot - 10, y + 3.5, "▶", 6, FONT, WHITE))




def stage_progression(points: list[tuple[date, int]], target: int | None, width: float, height: float = 150) -> Drawing:
    """The stage over time as steps: (date assessed, stage number 1–6), oldest first; the target dashed."""
    drawing = Drawing(width, height)
    left, bottom, top = 78, 16, height - 8
    for number in range(1, 7):
        y = bottom + (top - bottom) * (number - 1) / 5
        drawing.add(Line(left, y, width, y, strokeColor=LINE, strokeWidth=0.4))
        name = STAGES[STAGES.keys[number - 1]].label
        drawing.add(_text(left - 4, y - 3, f"{number} {name}", 6.5, FONT, MUTED, "end"))
    if target:
        y = bottom + (top - bottom) * (target - 1) / 5
        drawing.add(Line(left, y, width, y, strokeColor=ACCENT, strokeWidth=1.2, strokeDashArray=[4, 2]))
    if not points:
        return drawing
    first, last = points[0][0].toordinal(), max(points[-1][0].toordinal(), points[0][0].toordinal() + 30)
    span = last - first

    def x_of(day: date) -> float:
        return left + 4 + (width - left - 10) * (day.toordinal() - first) / span

    previous = None
    for day, number in points:
        x, y = x_of(day), bottom + (top - bottom) * (number - 1) / 5
        if previous:
            drawing.add(Line(previous[0], previous[1], x, previous[1], strokeColor=INK, strokeWidth=2))
            drawing.add(Line(x, previous[1], x, y, strokeColor=INK, strokeWidth=2))
        drawing.add(Rect(x - 2.5, y - 2.5, 5, 5, fillColor=INK, strokeColor=None))
        previous = (x, y)
    drawing.add(Line(previous[0], previous[1], width - 6, previous[1], strokeColor=INK, strokeWidth=2,
                     strokeDashArray=[1, 2]))
    drawing.add(_text(x_of(points[0][0]), 3, points[0][0].isoformat(), 6.5, FONT, MUTED, "start"))
    drawing.add(_text(width - 6, 3, points[-1][0].isoformat(), 6.5, FONT, MUTED, "end"))
    return drawing


def estimated_vs_realised(rows: list[tuple[int, Decimal, Decimal]], currency: str, locale: str, width: float,
                          height: float = 160) -> Drawing:
    """Pairs of columns per year: estimated (risk-adjusted) and realised."""
    drawing = Drawing(width, height)
    bottom, room = 30, 16
    top = max([max(e, r) for _, e, r in rows] + [Decimal(1)])
    slot = width / max(len(rows), 1)
    column = min(44, slot * 0.3)
    drawing.add(Line(0, bottom, width, bottom, strokeColor=LINE, strokeWidth=0.8))
    for index, (year, estimated, realised) in enumerate(rows):
        x = index * slot + slot / 2 - column - 2
        for offset, amount, colour in ((0, estimated, REACHED), (column + 4, realised, INK)):
            bar = float(amount / top) * (height - bottom - room)
            drawing.add(Rect(x + offset, bottom, column, max(bar, 0.5), fillColor=colour, strokeColor=None))
            drawing.add(_text(x + offset + column / 2, bottom + bar + 3, format_money(amount, currency, locale,
                                                                                      whole=True), 6.5, BOLD, INK,
                              "middle"))
        drawing.add(_text(index * slot + slot / 2, bottom - 12, str(year), 8, FONT, MUTED, "middle"))
    drawing.add(Rect(0, 2, 8, 8, fillColor=REACHED, strokeColor=None))
    drawing.add(_text(11, 3, _("estimated (risk-adjusted)"), 7, colour=MUTED))
    drawing.add(Rect(120, 2, 8, 8, fillColor=INK, strokeColor=None))
    drawing.add(_text(131, 3, _("realised"), 7, colour=MUTED))
    return drawing
