"""The colours and fonts that reports and charts share: one palette, the fonts shipped in the package."""

from functools import lru_cache
from importlib import resources

from reportlab.graphics import shapes
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FONT, BOLD, ITALIC, BOLD_ITALIC = "CXSans", "CXSans-Bold", "CXSans-Oblique", "CXSans-BoldOblique"
_FONT_FILES = {FONT: "DejaVuSans.ttf", BOLD: "DejaVuSans-Bold.ttf", ITALIC: "DejaVuSans-Oblique.ttf",
               BOLD_ITALIC: "DejaVuSans-BoldOblique.ttf"}

INK = colors.HexColor("#17324d")
ACCENT = colors.HexColor("#e8a33d")
MUTED = colors.HexColor("#5b6b7b")
LINE = colors.HexColor("#d5dce4")
SHADE = colors.HexColor("#f1f4f7")
REACHED = colors.HexColor("#9fb8d3")
HEALTH = {"green": colors.HexColor("#2e7d4f"), "amber": colors.HexColor("#c77c02"), "red": colors.HexColor("#b3261e")}
KIND = {"revenue_retention": colors.HexColor("#2f6fab"), "revenue_sales": colors.HexColor("#5aa0d8"),
        "cost_reduction": colors.HexColor("#e8a33d")}

MARGIN = 18 * mm


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register DejaVu Sans (shipped in the package, embedded in every PDF) under our own names."""
    folder = resources.files("cxroadmap").joinpath("fonts")
    for name, filename in _FONT_FILES.items():
        with resources.as_file(folder.joinpath(filename)) as path:
            pdfmetrics.registerFont(TTFont(name, str(path)))
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=BOLD, italic=ITALIC, boldItalic=BOLD_ITALIC)
    # Charts start from this font rather than Helvetica, which is not embedded and lacks most letters.
    shapes.STATE_DEFAULTS["fontName"] = FONT
