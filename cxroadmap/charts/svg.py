"""Charts for web pages: the same Drawings as the PDFs, rendered to SVG."""

from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing


def to_svg(drawing: Drawing) -> str:
    """The drawing as a standalone SVG document."""
    return renderSVG.drawToString(drawing)
