"""Journey charts: each touchpoint's latest gap on a diverging scale, and one touchpoint's gap over time.

Like the other drawings: plain figures in, a Drawing out, text as String shapes drawn literally.
"""

from collections.abc import Callable
from datetime import date
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect
from reportlab.lib import colors

from cxroadmap.charts.drawings import _text, _width, wrapped
from cxroadmap.i18n import _, format_day
from cxroadmap.palette import BOLD, FONT, INK, LINE, MUTED, SHADE

GapText = Callable[[Decimal], str]

# A red-to-blue diverging scale (colour-blind safe); the number is always printed beside the colour.
BAND_COLOURS = {
    "far_below": colors.HexColor("#b2182b"), "below": colors.HexColor("#ef8a62"), "met": colors.HexColor("#bababa"),
    "above": colors.HexColor("#67a9cf"), "far_above": colors.HexColor("#2166ac"),
}
MOMENT = "★"


def _clip(text: str, most: int) -> str:
    return text if len(text) <= most else text[:most - 1] + "…"


def _reach(gaps) -> Decimal:
    """How far the axis runs either side of zero: the widest gap rounded up to a whole point, at least 2."""
    widest = max([abs(g) for g in gaps if g is not None] + [Decimal(2)])
    return Decimal(int(widest) + (0 if widest == int(widest) else 1))


def journey_gaps(rows: list[tuple[str, str, Decimal | None, str | None, bool]], width: float,
                 format_gap: GapText) -> Drawing:
    """One bar per touchpoint (stage, touchpoint, latest gap or None, its band, moment of truth).

    Left of zero the touchpoint falls short of what customers expect; each bar has its gap printed.
    """
    row_height, head, line = 15, 16, 8.5
    stages = []
    for stage, *_rest in rows:
        if stage not in stages:
            stages.append(stage)
    label_width = min(230, width * 0.42)
    # A touchpoint's name takes as many lines as it needs: wrapped, never cut.
    labels = [wrapped((MOMENT + " " if moment else "") + name, label_width - 8, 7.5, BOLD if moment else FONT)
              for _stage, name, _gap, _band, moment in rows]
    height = head + row_height * (len(rows) + len(stages)) + line * sum(len(lines) - 1 for lines in labels) + 22
    drawing = Drawing(width, height)
    left, right = label_width + 8, width - 44
    middle = (left + right) / 2
    reach = _reach(row[2] for row in rows)
    scale = (right - left) / 2 / float(reach)
    axis_bottom = 22
    drawing.add(_text(left, height - 10, _("falls short"), 7, FONT, MUTED))
    drawing.add(_text(right, height - 10, _("exceeds"), 7, FONT, MUTED, "end"))
    for step in range(-int(reach), int(reach) + 1):
        x = middle + step * scale
        drawing.add(Line(x, axis_bottom, x, height - head, strokeColor=LINE if step else INK,
                         strokeWidth=0.4 if step else 0.9))
        drawing.add(_text(x, axis_bottom - 10, format_gap(Decimal(step)), 6.5, FONT, MUTED, "middle"))
    y = height - head
    current = None
    below = 0.0  # the further lines of the row above, which this row stands below
    for (stage, _name, gap, band, moment), lines in zip(rows, labels, strict=True):
        y -= below
        if stage != current:
            current = stage
            y -= row_height
            drawing.add(_text(0, y + 4, _clip(stage, 40), 7.5, BOLD, MUTED))
        y -= row_height
        for number, text in enumerate(lines):  # the bar stands beside the first line
            drawing.add(_text(8, y + 4 - line * number, text, 7.5, BOLD if moment else FONT))
        below = line * (len(lines) - 1)
        if gap is None:
            drawing.add(Rect(middle - 1, y + 2, 2, row_height - 5, fillColor=SHADE, strokeColor=None))
            drawing.add(_text(middle + 6, y + 4, _("not scored"), 7, FONT, MUTED))
            continue
        length = float(gap) * scale
        x = middle if length >= 0 else middle + length
        drawing.add(Rect(x, y + 2, max(abs(length), 1), row_height - 5, fillColor=BAND_COLOURS[band],
                         strokeColor=None))
        if gap >= 0:
            drawing.add(_text(middle + length + 4, y + 4, format_gap(gap), 7.5, BOLD))
        else:
            drawing.add(_text(middle + length - 4, y + 4, format_gap(gap), 7.5, BOLD, INK, "end"))
    drawing.add(_text(0, 2, MOMENT + " " + _("moment of truth"), 7, FONT, MUTED))
    return drawing


def gap_over_time(points: list[tuple[date, Decimal, Decimal, str]], width: float, format_gap: GapText,
                  height: float | None = None, text: float = 8) -> Drawing:
    """Expectation and perception per date (oldest first, with the gap's band) and the gap printed at each; dates
    as the reader writes them. On a page (text 12 px) nothing is smaller than 11 px."""
    k = text / 8
    small = max(7.5 * k, 11) if text >= 11 else 7.5 * k
    legend = [_("expectation"), _("perception"), _("gap = perception − expectation")]
    one_line = 40 * k + sum(_width(str(item), FONT, small) for item in legend) + 24 * k <= width
    legend_height = (small + 6) * (1 if one_line else 2)
    height = height * k if height else 170 * k
    height += legend_height - 9 * k
    drawing = Drawing(width, height)
    left, bottom, top, right = 26 * k, legend_height + 18 * k, height - 10 * k, width - 30 * k
    for value in range(1, 8):
        y = bottom + (top - bottom) * (value - 1) / 6
        drawing.add(Line(left, y, right, y, strokeColor=LINE, strokeWidth=0.4))
        drawing.add(_text(left - 5, y - small / 3, str(value), small, FONT, MUTED, "end"))
    legend_y = legend_height - small - 2 if not one_line else 3
    drawing.add(Line(0, legend_y + small / 3, 14 * k, legend_y + small / 3, strokeColor=MUTED, strokeWidth=1.5,
                     strokeDashArray=[3, 2]))
    drawing.add(_text(18 * k, legend_y, legend[0], small, FONT, MUTED))
    x = 28 * k + _width(str(legend[0]), FONT, small)
    drawing.add(Line(x, legend_y + small / 3, x + 14 * k, legend_y + small / 3, strokeColor=INK, strokeWidth=2))
    drawing.add(_text(x + 18 * k, legend_y, legend[1], small, FONT, MUTED))
    drawing.add(_text(right if one_line else 0, 3, legend[2], small, FONT, MUTED, "end" if one_line else "start"))
    if not points:
        drawing.add(_text((left + right) / 2, (bottom + top) / 2, _("No scores yet."), 9 * k, FONT, MUTED, "middle"))
        return drawing
    first = points[0][0].toordinal()
    span = max(points[-1][0].toordinal() - first, 1)

    def x_of(day: date) -> float:
        if len(points) == 1:
            return (left + right) / 2
        return left + 12 * k + (right - left - 24 * k) * (day.toordinal() - first) / span

    def y_of(value: Decimal) -> float:
        return bottom + (top - bottom) * float(value - 1) / 6

    expected = [c for day, e, _p, _b in points for c in (x_of(day), y_of(e))]
    perceived = [c for day, _e, p, _b in points for c in (x_of(day), y_of(p))]
    if len(points) > 1:
        drawing.add(PolyLine(expected, strokeColor=MUTED, strokeWidth=1.5, strokeDashArray=[3, 2]))
        drawing.add(PolyLine(perceived, strokeColor=INK, strokeWidth=2))
    for day, expectation, perception, band in points:
        x = x_of(day)
        gap = perception - expectation
        colour = BAND_COLOURS[band]
        drawing.add(Line(x, y_of(expectation), x, y_of(perception), strokeColor=colour, strokeWidth=3))
        drawing.add(Rect(x - 2.5, y_of(perception) - 2.5, 5, 5, fillColor=INK, strokeColor=None))
        label_y = max(y_of(expectation), y_of(perception)) + 5
        drawing.add(_text(x, min(label_y, top - 2), format_gap(gap), 8.5 * k, BOLD, INK, "middle"))
    drawing.add(_text(x_of(points[0][0]), bottom - 6 - small, format_day(points[0][0]), small, FONT, MUTED,
                      "start" if len(points) > 1 else "middle"))
    if len(points) > 1:
        drawing.add(_text(x_of(points[-1][0]), bottom - 6 - small, format_day(points[-1][0]), small, FONT, MUTED,
                          "end"))
    return drawing
