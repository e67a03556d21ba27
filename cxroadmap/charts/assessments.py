"""Charts of an assessment round's results: how the answers fall per dimension, and where raters disagree.

Like the other drawings: plain figures in (each item's label, key, scale and summary, as
`assessments.results.ItemResult` holds them), a Drawing out, text as String shapes drawn literally.
"""

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect
from reportlab.lib import colors

from cxroadmap.charts.drawings import _text, _width, fitted, wrapped
from cxroadmap.i18n import _
from cxroadmap.palette import ACCENT, BOLD, FONT, HEALTH, INK, LINE, MUTED, REACHED, SHADE
from cxroadmap.readiness.questions import SHORT_LABELS
from cxroadmap.stages import STAGES

WIDTH = 520
LABEL_WIDTH = 150


def _marker(x, y) -> Polygon:
    """A small upward triangle whose tip touches y: where the median falls."""
    return Polygon([x, y, x - 5, y - 6, x + 5, y - 6], fillColor=ACCENT, strokeColor=INK, strokeWidth=0.5)


def _sizes(text: float) -> tuple[float, float, float]:
    """(scale, label size, small size) for text drawn at `text`: on a page (12 px) nothing is below 11 px; in a
    PDF (8 pt) the small print keeps the proportions of the printed page."""
    k = text / 8
    small = max(6.5 * k, 11) if text >= 11 else 6.5 * k
    return k, text, small


def _key_lines(entries: list[str], width: float, size: float) -> list[str]:
    """The entries joined with ' · ' into lines no wider than width."""
    lines, line = [], ""
    for entry in entries:
        joined = f"{line} · {entry}" if line else entry
        if line and _width(joined, FONT, size) > width:
            lines.append(line)
            joined = entry
        line = joined
    return [*lines, line] if line else lines


def distribution(dimensions: list, width: float = WIDTH, text: float = 8) -> Drawing:
    """One row per dimension, one cell per stage: how many raters chose it, darker for more. Stage names stand
    under their numbers where they fit, else in a key below the chart."""
    k, size, small = _sizes(text)
    stacked = width < 36 * text  # a phone: each name on a line of its own above its row
    label_width = 0 if stacked else min(LABEL_WIDTH * k, width * 0.36)
    above = size + 4 if stacked else 0
    cell = (width - label_width) / len(STAGES)
    names = [str(stage.label) for stage in STAGES]
    named_above = all(_width(name, FONT, small) <= cell - 2 for name in names)
    key = [] if named_above else _key_lines([f"{i + 1} {name}" for i, name in enumerate(names)], width, small)
    row_height, top = 32 * k + above, (34 if named_above else 20) * k
    legend = 20 * k + len(key) * (small + 3)
    drawing = Drawing(width, top + row_height * len(dimensions) + legend)
    heading_y = drawing.height - 14 * k
    for index, name in enumerate(names):
        x = label_width + index * cell + cell / 2
        drawing.add(_text(x, heading_y, str(index + 1), 9 * k, BOLD, INK, "middle"))
        if named_above:
            drawing.add(_text(x, heading_y - 11 * k, name, small, FONT, MUTED, "middle"))
    for row, item in enumerate(dimensions):
        y = drawing.height - top - (row + 1) * row_height
        font = BOLD if item.summary.disagreement else FONT
        if stacked:
            drawing.add(_text(0, y + row_height - size, fitted(item.label, width, size, font), size, font))
        else:
            drawing.add(_text(0, y + row_height / 2 - 3 * k, fitted(item.label, label_width - 4, size, font), size,
                              font))
        most = max(item.summary.distribution) or 1
        for index, count in enumerate(item.summary.distribution):
            x = label_width + index * cell
            fill = SHADE if count == 0 else REACHED if count < most else INK
            drawing.add(Rect(x + 2, y + 5 * k, cell - 4, row_height - above - 8 * k, fillColor=fill, strokeColor=None))
            if count:
                drawing.add(_text(x + cell / 2, y + (row_height - above) / 2 - 2 * k, count, 9 * k, BOLD,
                                  colour=colors.white if fill == INK else INK, anchor="middle"))
        if item.summary.median is not None:
            drawing.add(_marker(label_width + (float(item.summary.median) - 0.5) * cell, y + 3 * k))
    for line_number, line in enumerate(key):
        drawing.add(_text(0, legend - 4 - (line_number + 1) * (small + 3), line, small, colour=MUTED))
    drawing.add(_marker(7, 8 * k))
    median = _("median")
    drawing.add(_text(18, 9 * k - small / 2 + 2, median, small, colour=MUTED))
    drawing.add(_text(30 + _width(median, FONT, small), 9 * k - small / 2 + 2,
                      fitted(_("numbers: raters who chose that stage"), width - 34 - _width(median, FONT, small),
                             small), small, colour=MUTED))
    return drawing


def disagreement(items: list, width: float = WIDTH, text: float = 8) -> Drawing:
    """Each item's answers from lowest to highest on its own scale, with the median; wide spreads in amber. Each
    scale's lowest and highest point are named under its ends."""
    k, size, small = _sizes(text)
    stacked = width < 36 * text  # a phone: each name on a line of its own above its scale
    above = size + 4 if stacked else 0
    row_height, top = 22 * k + small + 2 + above, 8 * k
    label_width = 8 * k if stacked else min(170 * k, width * 0.36)
    legend_rows = 1 if width >= 470 * k else 2
    apart = _("answers two or more points apart")
    second_x = 30 * k + _width(apart, FONT, small) if legend_rows == 1 else 0
    # The median's key wraps onto more lines where it does not fit (a phone, in Dutch), never cut short.
    median_lines = wrapped(_("median; lowest to highest answer on each item's own scale"),
                           width - second_x - 16 * k, small)
    extra = (len(median_lines) - 1) * (small + 3)
    drawing = Drawing(width, top + row_height * len(items) + (16 * k + small) * legend_rows + extra)
    track = width - label_width - (8 if stacked else 20) * k
    for row, item in enumerate(items):
        y = drawing.height - top - (row + 1) * row_height + (row_height - above) / 2 + small / 2
        summary = item.summary
        name = str(SHORT_LABELS.get(item.key, item.label))
        font = BOLD if summary.disagreement else FONT
        if stacked:
            drawing.add(_text(0, y + 6 * k + 2, fitted(name, width, size, font), size, font))
        else:
            drawing.add(_text(0, y - 3 * k, fitted(name, label_width - 4, size, font), size, font))
        drawing.add(Line(label_width, y, label_width + track, y, strokeColor=LINE, strokeWidth=1))
        steps = len(item.points) - 1
        for point in range(steps + 1):
            x = label_width + track * point / steps
            drawing.add(Line(x, y - 3 * k, x, y + 3 * k, strokeColor=LINE))
        end = track / 2 - 4
        drawing.add(_text(label_width, y - 5 * k - small, fitted(item.points[0], end, small), small, colour=MUTED))
        drawing.add(_text(label_width + track, y - 5 * k - small, fitted(item.points[-1], end, small), small,
                          colour=MUTED, anchor="end"))
        if summary.n == 0:
            continue

        def x_of(value, first=item.first, steps=steps):
            return label_width + track * (float(value) - first) / steps

        colour = HEALTH["amber"] if summary.disagreement else INK
        drawing.add(Line(x_of(summary.low), y, x_of(summary.high), y, strokeColor=colour, strokeWidth=6 * k))
        drawing.add(Circle(x_of(summary.median), y, 4 * k, fillColor=ACCENT, strokeColor=colour, strokeWidth=1))
    first_y = (16 * k + small) * legend_rows + extra - 8 * k - small / 2
    drawing.add(Line(0, first_y + small / 3, 14 * k, first_y + small / 3, strokeColor=HEALTH["amber"],
                     strokeWidth=6 * k))
    drawing.add(_text(18 * k, first_y, apart, small, colour=MUTED))
    second_y = first_y if legend_rows == 1 else first_y - 16 * k - small / 2
    drawing.add(Circle(second_x + 5 * k, second_y + small / 3, 4 * k, fillColor=ACCENT, strokeColor=INK))
    for number, line in enumerate(median_lines):
        drawing.add(_text(second_x + 14 * k, second_y - number * (small + 3), line, small, colour=MUTED))
    return drawing
