"""Charts for web pages: the same Drawings as the PDFs, rendered to SVG images."""

from xml.sax.saxutils import escape

from flask import Response
from reportlab.graphics import renderSVG
from reportlab.graphics.shapes import Drawing

from cxroadmap.palette import BOLD, BOLD_ITALIC, FONT, ITALIC, register_fonts
from cxroadmap.web import svg_response

# Browsers do not know the PDF's font names; the same faces are asked for by family and weight.
_WEB_FONTS = {
    BOLD_ITALIC: "'DejaVu Sans', sans-serif; font-weight: bold; font-style: italic",
    BOLD: "'DejaVu Sans', sans-serif; font-weight: bold",
    ITALIC: "'DejaVu Sans', sans-serif; font-style: italic",
    FONT: "'DejaVu Sans', sans-serif",
}

# For the SVG response only: an image runs no script, and its shapes carry their own style attributes.


def to_svg(drawing: Drawing, title: str, description: str | None = None) -> str:
    """The drawing as a standalone SVG document titled `title`; `description` (what a reader who cannot see it
    needs to know) becomes its desc."""
    register_fonts()
    text = renderSVG.drawToString(drawing)
    for name, family in _WEB_FONTS.items():
        text = text.replace(f"font-family: {name};", f"font-family: {family};")
    if description:
        text = text.replace("<desc>...</desc>", f"<desc>{escape(description)}</desc>", 1)
    return text.replace("<title>...</title>", f"<title>{escape(title)}</title>", 1)


def svg_chart(drawing: Drawing, title: str, description: str | None = None) -> Response:
    """A page's chart: the drawing as an SVG image on its own (to_svg), sent as svg_response sends one."""
    return svg_response(to_svg(drawing, title, description))
