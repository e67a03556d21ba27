"""KPI drawings for the PDF: a sparkline of the readings against the dashed baseline-to-target line."""

from typing import TYPE_CHECKING

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine

from cxroadmap.palette import HEALTH, INK, MUTED

if TYPE_CHECKING:  # a plot is computed by measures; the chart only draws it
    from cxroadmap.measures.formatting import Plot

STATUS_COLOURS = {"on_track": HEALTH["green"], "at_risk": HEALTH["amber"], "off_track": HEALTH["red"]}


def sparkline(plot: "Plot", status: str) -> Drawing:
    """The plot (y grows downwards, as on the page) drawn the PDF's way up, the last reading in its status colour."""
    height = plot.height
    drawing = Drawing(plot.width, height)
    (x1, y1), (x2, y2) = plot.line
    drawing.add(Line(x1, height - y1, x2, height - y2, strokeColor=MUTED, strokeWidth=0.8,
                     strokeDashArray=[2, 1.5]))
    if len(plot.points) > 1:
        points = [coordinate for x, y in plot.points for coordinate in (x, height - y)]
        drawing.add(PolyLine(points, strokeColor=INK, strokeWidth=1))
    if plot.points:
        x, y = plot.points[-1]
        drawing.add(Circle(x, height - y, 1.8, fillColor=STATUS_COLOURS.get(status, INK), strokeColor=None))
    return drawing
