"""The distribution of a survey's scores as a bar chart (a reportlab Drawing, drawn to SVG by the charts)."""

from reportlab.graphics.shapes import Drawing, Line, Rect, String

from cxroadmap.palette import BOLD, FONT, HEALTH, INK, LINE, MUTED

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
