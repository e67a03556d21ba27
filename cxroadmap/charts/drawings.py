"""The charts, as reportlab.graphics Drawings: placed in PDFs as vectors, rendered to SVG for pages.

Each takes plain figures (from services) and returns a Drawing; none reads the database. Text goes in as
String shapes, which draw it literally, whatever it holds.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase import pdfmetrics

from cxroadmap.i18n import _, format_day, format_share
from cxroadmap.money import format_money
from cxroadmap.palette import ACCENT, BOLD, FONT, HEALTH, INK, KIND, LINE, MUTED, REACHED, SHADE, register_fonts
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS, SHORT_LABELS
from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES

WHITE = colors.white


def _text(x, y, text, size=8, font=FONT, colour=INK, anchor="start") -> String:
    return String(x, y, str(text), fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


_REGISTERED: set[str] = set()


def _width(text: str, font: str, size: float) -> float:
    """How wide text is drawn; the fonts are registered on first use (a page's chart may come before any PDF)."""
    if font not in _REGISTERED:
        if font not in pdfmetrics.getRegisteredFontNames():
            register_fonts()
        _REGISTERED.add(font)
    return pdfmetrics.stringWidth(text, font, size)


def fitted(text: str, width: float, size: float, font: str = FONT) -> str:
    """text shortened to fit width: whole words and an ellipsis; a single long first word is cut with one."""
    text = str(text)
    if _width(text, font, size) <= width:
        return text
    words = text.split()
    while len(words) > 1:
        words.pop()
        shorter = " ".join(words).rstrip(",;:·-–") + "…"
        if _width(shorter, font, size) <= width:
            return shorter
    word = words[0] if words else ""
    while word and _width(word + "…", font, size) > width:
        word = word[:-1]
    return word + "…" if word else ""


def _zoom(text: float, smallest: float) -> float:
    """How much to enlarge a chart's text (and the room around it) so its smallest text is `text` units high;
    1 when no size is asked for (the PDFs' own sizes)."""
    return max(text / smallest, 1.0) if text else 1.0


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


def _bar_rows(rows: list[tuple[str, float, str, colors.Color]], width: float, label_width: float,
              text: float = 0) -> Drawing:
    """Horizontal bars: (label, share 0–1, value text, colour) per row; a label too long for its room wraps onto
    more lines (a phone, in Dutch), its row growing to hold them, never cut short."""
    k = _zoom(text, 8)
    size, row_height, leading = 8 * k, 20 * k, 8 * k + 2
    label_width = min(label_width * k, width * 0.45)
    value_width = max(_width(value, BOLD, size) for _, _, value, _ in rows) + 8 if rows else 70
    labels = [wrapped(name, label_width - 4, size) for name, _, _, _ in rows]
    heights = [max(row_height, row_height + (len(lines) - 1) * leading) for lines in labels]
    drawing = Drawing(width, sum(heights) + 4)
    track = width - label_width - max(value_width, 70 if k == 1 else value_width)
    top = drawing.height
    for lines, height, (_name, share, value, colour) in zip(labels, heights, rows, strict=True):
        top -= height
        y = top + (height - row_height) / 2 + 5 * k
        for number, line in enumerate(lines):
            drawing.add(_text(0, y + 2 * k + ((len(lines) - 1) / 2 - number) * leading, line, size))
        drawing.add(Rect(label_width, y, track, 9 * k, fillColor=SHADE, strokeColor=None))
        if share > 0:
            drawing.add(Rect(label_width, y, track * min(share, 1), 9 * k, fillColor=colour, strokeColor=None))
        drawing.add(_text(label_width + track + 6, y + k, value, size, BOLD))
    return drawing


def readiness(scores: dict[str, int | None], coverage_share: Decimal | None, width: float, text: float = 0) -> Drawing:
    """The three readiness scores (0–4) and the share of teams with a current role statement."""
    rows = []
    for question in QUESTIONS:
        score = scores.get(question.key)
        colour = HEALTH["red"] if (score or 0) <= 1 else HEALTH["amber"] if score == 2 else HEALTH["green"]
        rows.append((SHORT_LABELS[question.key], (score or 0) / MAX_SCORE,
                     "—" if score is None else f"{score} / {MAX_SCORE}", colour))
    rows.append((_("Teams with a current role"), float(coverage_share or 0), format_share(coverage_share), INK))
    return _bar_rows(rows, width, label_width=130, text=text)


def benefits_by_kind(amounts: dict[str, Decimal], labels: dict[str, str], currency: str, locale: str,
                     width: float) -> Drawing:
    top = max(amounts.values(), default=Decimal(0)) or Decimal(1)
    rows = [(labels[kind], float(amount / top), format_money(amount, currency, locale, whole=True), KIND[kind])
            for kind, amount in amounts.items()]
    return _bar_rows(rows, width, label_width=150)


def benefits_by_year(amounts: dict[int, Decimal], currency: str, locale: str, width: float,
                     height: float = 150, text: float = 0) -> Drawing:
    """Columns, one per calendar year, each labelled with its amount."""
    k = _zoom(text, 8)
    drawing = Drawing(width, height)
    bottom, top_room = 18 * k, 18 * k
    years = list(amounts)
    top = max(amounts.values(), default=Decimal(0)) or Decimal(1)
    slot = width / max(len(years), 1)
    column = min(70, slot * 0.55)
    drawing.add(Line(0, bottom, width, bottom, strokeColor=LINE, strokeWidth=0.8))
    for index, year in enumerate(years):
        x = index * slot + (slot - column) / 2
        bar = float(amounts[year] / top) * (height - bottom - top_room)
        drawing.add(Rect(x, bottom, column, max(bar, 0.5), fillColor=INK, strokeColor=None))
        amount = _money_in(amounts[year], currency, locale, slot - 2, 8 * k)
        drawing.add(_text(x + column / 2, bottom + bar + 4, amount, 8 * k, BOLD, INK, "middle"))
        drawing.add(_text(x + column / 2, 5, str(year), 8 * k, FONT, MUTED, "middle"))
    return drawing


def _money_in(amount: Decimal, currency: str, locale: str, width: float, size: float) -> str:
    """The whole amount, or its short form (€1.2M, € 1,2 mln.) where the whole one does not fit."""
    whole = format_money(amount, currency, locale, whole=True)
    if _width(whole, BOLD, size) <= width:
        return whole
    from babel.numbers import format_compact_currency

    return format_compact_currency(amount, currency, locale=locale, fraction_digits=1)


def timeline_quarters(rows: list[dict], first_quarter: int, most: int) -> int:
    """How many quarters the timeline needs: to one past the last date it shows, at least four, at most `most`."""
    dates = [day for row in rows for day in (row.get("start"), row.get("due"), *row.get("milestones", ())) if day]
    last = max((quarter_of(day) for day in dates), default=first_quarter)
    return min(max(last - first_quarter + 2, 4), most)


def quarter_of(day: date) -> int:
    """Quarters since year 0, so that quarter arithmetic is subtraction."""
    return day.year * 4 + (day.month - 1) // 3


def quarter_label(number: int) -> str:
    return f"Q{number % 4 + 1} {number // 4}"


TIMELINE_ROW, TIMELINE_HEAD = 13, 22  # a row's height and the quarters' axis above the rows, before zooming


TIMELINE_LINE = 8  # each further line of a wrapped row label


def timeline_height(rows: int, text: float = 0, extra_lines: int = 0) -> float:
    """How tall the timeline of that many rows is drawn (extra_lines: the further lines of wrapped labels)."""
    k = _zoom(text, 6.5)
    return TIMELINE_HEAD * k + TIMELINE_ROW * k * rows + TIMELINE_LINE * k * extra_lines + 2


def timeline_label_width(width: float, wrap: bool = False) -> float:
    """The room for the rows' labels: wider when they wrap (a PDF), so that most take one line."""
    return width * 0.55 if wrap else min(170, width * 0.4)


def wrapped(text: str, width: float, size: float, font: str = FONT) -> list[str]:
    """text broken into lines of whole words that fit width; a word wider than width is cut to fit."""
    text = " ".join(str(text).split())
    if _width(text, font, size) <= width:
        return [text]
    lines: list[str] = []
    for word in text.split():
        if lines and _width(f"{lines[-1]} {word}", font, size) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word if _width(word, font, size) <= width else fitted(word, width, size, font))
    return lines or [""]


def timeline_lines(row: dict, width: float) -> int:
    """How many lines a row's label takes in a wrapping timeline `width` wide (a group's label: one)."""
    if row.get("kind") == "group":
        return 1
    return len(wrapped(row["label"], timeline_label_width(width, wrap=True) - 8, 7))


@dataclass(frozen=True)
class _TimelineFrame:
    """Where a timeline draws: the label column, the quarters' slots, the zoom."""

    width: float
    first_quarter: int
    quarters: int
    label_width: float
    slot: float
    row_height: float
    k: float

    def x_of(self, day: date) -> float | None:
        """The x of a day within the quarters shown, or None outside them."""
        position = quarter_of(day) - self.first_quarter + ((day.month - 1) % 3 * 30 + day.day) / 92
        return self.label_width + position * self.slot if 0 <= position <= self.quarters else None


def timeline(rows: list[dict], first_quarter: int, quarters: int, width: float, today: date | None = None,
             text: float = 0, wrap: bool = False) -> Drawing:
    """Bars by quarter: rows of {'kind': 'group', 'label'} or {'label', 'start', 'due', 'health'}; today marked.

    wrap: labels too long for their room take more lines (a PDF, where nothing hovers to show the rest);
    otherwise they are shortened with an ellipsis."""
    k = _zoom(text, 6.5)
    label_width = timeline_label_width(width, wrap) if wrap else min(170 * k, width * 0.4)
    frame = _TimelineFrame(width, first_quarter, quarters, label_width, (width - label_width) / quarters,
                           TIMELINE_ROW * k, k)
    labels = [wrapped(row["label"], label_width - 8, 7 * k) if wrap and row.get("kind") != "group"
              else [row["label"]] for row in rows]
    drawing = Drawing(width, timeline_height(len(rows), text, sum(len(lines) - 1 for lines in labels)))
    top = drawing.height - TIMELINE_HEAD * k
    _timeline_axis(drawing, frame, top)
    x = frame.x_of(today) if today is not None else None
    if x is not None:
        drawing.add(Line(x, 0, x, top, strokeColor=ACCENT, strokeWidth=1, strokeDashArray=[2, 2]))
    bottom = top
    for row, lines in zip(rows, labels, strict=True):
        more = TIMELINE_LINE * k * (len(lines) - 1)
        bottom -= frame.row_height + more
        y = bottom + more  # the row's first line, and its bar beside it
        if row.get("kind") == "group":
            drawing.add(_text(0, y + 3 * k, fitted(row["label"], width, 7.5 * k, BOLD), 7.5 * k, BOLD, INK))
            drawing.add(Line(0, y + 1, width, y + 1, strokeColor=LINE, strokeWidth=0.5))
        else:
            for number, line in enumerate(lines):
                drawing.add(_text(4, y + 3 * k - number * TIMELINE_LINE * k,
                                  line if wrap else fitted(line, label_width - 8, 7 * k), 7 * k, FONT, INK))
            _timeline_bar(drawing, frame, row, y)
    return drawing


def _timeline_axis(drawing: Drawing, frame: _TimelineFrame, top: float) -> None:
    """Every other quarter shaded, each named where it has room, and the year where it starts."""
    k = frame.k
    for q in range(frame.quarters):
        x = frame.label_width + q * frame.slot
        if q % 2 == 0:
            drawing.add(Rect(x, 0, frame.slot, top, fillColor=colors.HexColor("#f7f9fb"), strokeColor=None))
        quarter = frame.first_quarter + q
        if frame.slot >= _width("Q4", FONT, 6.5 * k) + 2:  # too narrow a quarter shows only where its year starts
            drawing.add(_text(x + frame.slot / 2, top + 11 * k, f"Q{quarter % 4 + 1}", 6.5 * k, FONT, MUTED,
                              "middle"))
        if quarter % 4 == 0 or (q == 0 and quarter % 4 < 2):
            drawing.add(_text(x + 2, top + 3 * k, str(quarter // 4), 6.5 * k, BOLD, MUTED))


def _timeline_note(row: dict, start: int, end: int, frame: _TimelineFrame) -> tuple[str, str, str, bool] | None:
    """What a row says instead of a bar (text, font, colour, at the right end), or None when it has a bar."""
    if not (row["start"] or row["due"]):
        return _("no dates yet"), FONT, MUTED, False
    if end < frame.first_quarter:
        status = row.get("status", "done")
        if status == "done":
            return _("ended %(quarter)s", quarter=quarter_label(end)), FONT, MUTED, False
        if status == "cancelled":
            return _("cancelled"), FONT, MUTED, False
        # still open after its due quarter: overdue, not ended
        return _("overdue since %(quarter)s", quarter=quarter_label(end)), BOLD, HEALTH["red"], False
    if start > frame.first_quarter + frame.quarters - 1:
        return _("starts %(quarter)s", quarter=quarter_label(start)), FONT, MUTED, True
    return None


def _timeline_bar(drawing: Drawing, frame: _TimelineFrame, row: dict, y: float) -> None:
    """One initiative's bar over its quarters, its milestones and arrows where it runs on beyond the view."""
    k, first_quarter = frame.k, frame.first_quarter
    start = quarter_of(row["start"] or row["due"]) if row["start"] or row["due"] else 0
    end = quarter_of(row["due"] or row["start"]) if row["start"] or row["due"] else 0
    note = _timeline_note(row, start, end, frame)
    if note is not None:
        words, font, colour, at_end = note
        if at_end:
            drawing.add(_text(frame.width - 3, y + 3.5 * k, words, 6.5 * k, font, colour, "end"))
        else:
            drawing.add(_text(frame.label_width + 3, y + 3.5 * k, words, 6.5 * k, font, colour))
        return
    first, last = max(start, first_quarter), min(end, first_quarter + frame.quarters - 1)
    x, length = frame.label_width + (first - first_quarter) * frame.slot + 1, (last - first + 1) * frame.slot - 2
    if row.get("status") == "cancelled":  # an outline, not a live bar, and says so where it has room
        drawing.add(Rect(x, y + 2 * k, length, frame.row_height - 5 * k, fillColor=WHITE, strokeColor=MUTED,
                         strokeWidth=0.6, strokeDashArray=[2, 2]))
        if _width(_("cancelled"), FONT, 6.5 * k) + 6 * k <= length:
            drawing.add(_text(x + 3 * k, y + 3.5 * k, _("cancelled"), 6.5 * k, FONT, MUTED))
        return
    drawing.add(Rect(x, y + 2 * k, length, frame.row_height - 5 * k, fillColor=HEALTH.get(row["health"], INK),
                     strokeColor=None))
    if row.get("conflict"):
        drawing.add(_text(x - 1, y + 3 * k, "!", 8 * k, BOLD, HEALTH["red"], "end"))
    for due in row.get("milestones", ()):
        at = frame.x_of(due)
        if at is not None:
            r = 4 * k
            mx, my = min(max(at, frame.label_width + r), frame.width - r), y + frame.row_height / 2 - 1
            drawing.add(Polygon([mx, my + r, mx + r, my, mx, my - r, mx - r, my], fillColor=ACCENT,
                                strokeColor=WHITE, strokeWidth=0.6))
    if start < first_quarter:
        drawing.add(_text(x + 2, y + 3.5 * k, "◀", 6.5 * k, FONT, WHITE))
    if end > first_quarter + frame.quarters - 1:
        drawing.add(_text(x + length - 8 * k, y + 3.5 * k, "▶", 6.5 * k, FONT, WHITE))


def stage_progression(points: list[tuple[date, int]], target: int | None, width: float, height: float = 150,
                      text: float = 0) -> Drawing:
    """The stage over time as steps: (date assessed, stage number 1–6), oldest first; the target dashed."""
    k = _zoom(text, 6.5)
    size = 6.5 * k
    height = max(height, 6 * size * 1.6 + 24 * k)
    drawing = Drawing(width, height)
    left, bottom, top = min(78 * k, width * 0.38), 16 * k, height - 8
    for number in range(1, 7):
        y = bottom + (top - bottom) * (number - 1) / 5
        drawing.add(Line(left, y, width, y, strokeColor=LINE, strokeWidth=0.4))
        name = STAGES[STAGES.keys[number - 1]].label
        drawing.add(_text(left - 4, y - size / 2, fitted(f"{number} {name}", left - 6, size), size, FONT, MUTED, "end"))
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
    drawing.add(_text(x_of(points[0][0]), 3, format_day(points[0][0]), size, FONT, MUTED, "start"))
    if points[-1][0] != points[0][0]:
        drawing.add(_text(width - 6, 3, format_day(points[-1][0]), size, FONT, MUTED, "end"))
    return drawing


def estimated_vs_realised(rows: list[tuple[int, Decimal, Decimal]], currency: str, locale: str, width: float,
                          height: float = 160, text: float = 0) -> Drawing:
    """Pairs of columns per year: estimated (risk-adjusted) and realised."""
    k = _zoom(text, 6.5)
    height = height * (1 + (k - 1) / 2)
    drawing = Drawing(width, height)
    bottom, room = 30 * k, 16 * k
    top = max([max(e, r) for _, e, r in rows] + [Decimal(1)])
    slot = width / max(len(rows), 1)
    column = min(44, slot * 0.3)
    drawing.add(Line(0, bottom, width, bottom, strokeColor=LINE, strokeWidth=0.8))
    size = 6.5 * k
    for index, (year, estimated, realised) in enumerate(rows):
        x = index * slot + slot / 2 - column - 2
        for offset, amount, colour in ((0, estimated, REACHED), (column + 4, realised, INK)):
            bar = float(amount / top) * (height - bottom - room - size)
            drawing.add(Rect(x + offset, bottom, column, max(bar, 0.5), fillColor=colour, strokeColor=None))
            # Two amounts side by side get half a slot each: the short form where the whole one would touch.
            label = _money_in(amount, currency, locale, slot / 2 - 3, size)
            drawing.add(_text(x + offset + column / 2, bottom + max(bar, 0) + 3, label, size, BOLD, INK, "middle"))
        drawing.add(_text(index * slot + slot / 2, bottom - 12 * k, str(year), 8 * k, FONT, MUTED, "middle"))
    legend = _("estimated (risk-adjusted)")
    drawing.add(Rect(0, 2, 8 * k, 8 * k, fillColor=REACHED, strokeColor=None))
    drawing.add(_text(11 * k, 3, legend, 7 * k, colour=MUTED))
    second = 11 * k + _width(legend, FONT, 7 * k) + 10 * k
    drawing.add(Rect(second, 2, 8 * k, 8 * k, fillColor=INK, strokeColor=None))
    drawing.add(_text(second + 11 * k, 3, _("realised"), 7 * k, colour=MUTED))
    return drawing
