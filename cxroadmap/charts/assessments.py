"""Charts of an assessment round's results: how the answers fall per dimension, and where raters disagree.

Like the other drawings: plain figures in (each item's label, key, scale and summary, as
`assessments.results.ItemResult` holds them), a Drawing out, text as String shapes drawn literally.
"""

from reportlab.graphics.shapes import Circle, Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors

from cxroadmap.i18n import _
from cxroadmap.palette import ACCENT, BOLD, FONT, HEALTH, INK, LINE, MUTED, REACHED, SHADE
from cxroadmap.readiness.questions import SHORT_LABELS
from cxroadmap.stages import STAGES

WIDTH = 520
LABEL_WIDTH = 150


def _text(x, y, text, size=8, font=FONT, colour=INK, anchor="start") -> String:
    return String(x, y, str(text), fontName=font, fontSize=size, fillColor=colour, textAnchor=anchor)


def _marker(x, y) -> Polygon:
    """A small upward triangle whose tip touches y: where the median falls."""
    return Polygon([x, y, x - 5, y - 6, x + 5, y - 6], fillColor=ACCENT, strokeColor=INK, strokeWidth=0.5)


def distribution(dimensions: list, width: float = WIDTH) -> Drawing:
    """One row per dimension, one cell per stage: how many raters chose it, darker for more."""
    row_height, top = 32, 34
    drawing = Drawing(width, top + row_height * len(dimensions) + 20)
    cell = (width - LABEL_WIDTH) / len(STAGES)
    heading_y = drawing.height - 14
    for index, stage in enumerate(STAGES):
        x = LABEL_WIDTH + index * cell + cell / 2
        drawing.add(_text(x, heading_y, str(index + 1), 9, BOLD, INK, "middle"))
        drawing.add(_text(x, heading_y - 11, stage.label, 6.5, FONT, MUTED, "middle"))
    for row, item in enumerate(dimensions):
        y = drawing.height - top - (row + 1) * row_height
        drawing.add(_text(0, y + row_height / 2 - 3, item.label, 8, BOLD if item.summary.disagreement else FONT))
        most = max(item.summary.distribution) or 1
        for index, count in enumerate(item.summary.distribution):
            x = LABEL_WIDTH + index * cell
            fill = SHADE if count == 0 else REACHED if count < most else INK
            drawing.add(Rect(x + 2, y + 5, cell - 4, row_height - 8, fillColor=fill, strokeColor=None))
            if count:
                drawing.add(_text(x + cell / 2, y + row_height / 2 - 2, count, 9, BOLD,
                                  colour=colors.white if fill == INK else INK, anchor="middle"))
        if item.summary.median is not None:
            drawing.add(_marker(LABEL_WIDTH + (float(item.summary.median) - 0.5) * cell, y + 3))
    drawing.add(_marker(7, 8))
    drawing.add(_text(18, 9, _("median"), 7, colour=MUTED))
    drawing.add(_text(70, 9, _("numbers: raters who chose that stage"), 7, colour=MUTED))
    return drawing


def disagreement(items: list, width: float = WIDTH) -> Drawing:
    """Each item's answers from lowest to highest on its own scale, with the median; wide spreads in amber."""
    row_height, top, label_width = 22, 8, 170
    drawing = Drawing(width, top + row_height * len(items) + 22)
    track = width - label_width - 20
    for row, item in enumerate(items):
        y = drawing.height - top - (row + 1) * row_height + row_height / 2
        summary = item.summary
        name = SHORT_LABELS.get(item.key, item.label)
        drawing.add(_text(0, y - 3, name, 8, BOLD if summary.disagreement else FONT))
        drawing.add(Line(label_width, y, label_width + track, y, strokeColor=LINE, strokeWidth=1))
        steps = len(item.points) - 1
        for point in range(steps + 1):
            x = label_width + track * point / steps
            drawing.add(Line(x, y - 3, x, y + 3, strokeColor=LINE))
        if summary.n == 0:
            continue

        def x_of(value, first=item.first, steps=steps):
            return label_width + track * (float(value) - first) / steps

        colour = HEALTH["amber"] if summary.disagreement else INK
        drawing.add(Line(x_of(summary.low), y, x_of(summary.high), y, strokeColor=colour, strokeWidth=6))
        drawing.add(Circle(x_of(summary.median), y, 4, fillColor=ACCENT, strokeColor=colour, strokeWidth=1))
    drawing.add(Line(0, 8, 14, 8, strokeColor=HEALTH["amber"], strokeWidth=6))
    drawing.add(_text(18, 5, _("answers two or more points apart"), 7, colour=MUTED))
    drawing.add(Circle(200, 8, 4, fillColor=ACCENT, strokeColor=INK))
    drawing.add(_text(208, 5, _("median; lowest to highest answer on each item's own scale"), 7, colour=MUTED))
    return drawing
