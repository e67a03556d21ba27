"""The one stylesheet of the reports: paragraph and table styles over the shared palette and fonts."""

from functools import lru_cache

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle

from cxroadmap.palette import BOLD, FONT, INK, ITALIC, LINE, MUTED, SHADE, register_fonts

NOTE = colors.HexColor("#3d4956")
# The size and leading of table text, in points: at least the smallest body text.
TABLE_SIZE, TABLE_LEADING = 9, 10.5


@lru_cache(maxsize=1)
def stylesheet() -> dict[str, ParagraphStyle]:
    register_fonts()
    base = ParagraphStyle("body", fontName=FONT, fontSize=9.5, leading=13, textColor=colors.black,
                          alignment=TA_LEFT, splitLongWords=True)

    def style(name, **changes):
        return ParagraphStyle(name, parent=base, **changes)

    return {
        "body": base,
        "story": style("story", fontSize=10.5, leading=14.5, spaceAfter=5),
        # Footnotes and introductions: at 9 pt in a grey dark enough to read on paper.
        "small": style("small", fontSize=9, leading=11.5, textColor=NOTE),
        "cover_title": style("cover_title", fontName=BOLD, fontSize=26, leading=31, textColor=INK, spaceAfter=6),
        "cover_subtitle": style("cover_subtitle", fontSize=13, leading=17, textColor=MUTED, spaceAfter=18),
        "cover_promise": style("cover_promise", fontName=ITALIC, fontSize=14, leading=20, textColor=INK,
                               spaceBefore=6, spaceAfter=18),
        "cover_stage": style("cover_stage", fontName=BOLD, fontSize=15, leading=20, textColor=INK),
        "h1": style("h1", fontName=BOLD, fontSize=16, leading=20, textColor=INK, spaceBefore=4, spaceAfter=8,
                    keepWithNext=1),
        "h2": style("h2", fontName=BOLD, fontSize=11.5, leading=15, textColor=INK, spaceBefore=10, spaceAfter=4,
                    keepWithNext=1),
        # Table text at 9 pt, like the smallest body text: read on paper and on a phone's PDF viewer alike.
        "cell": style("cell", fontSize=TABLE_SIZE, leading=TABLE_LEADING),
        "cell_bold": style("cell_bold", fontName=BOLD, fontSize=TABLE_SIZE, leading=TABLE_LEADING),
        "cell_right": style("cell_right", fontSize=TABLE_SIZE, leading=TABLE_LEADING, alignment=TA_RIGHT),
        "cell_head": style("cell_head", fontName=BOLD, fontSize=TABLE_SIZE, leading=TABLE_LEADING, textColor=INK),
        "cell_head_right": style("cell_head_right", fontName=BOLD, fontSize=TABLE_SIZE, leading=TABLE_LEADING,
                                 textColor=INK, alignment=TA_RIGHT),
        "kpi_value": style("kpi_value", fontName=BOLD, fontSize=14, leading=17, textColor=INK),
        "kpi_label": style("kpi_label", fontSize=9, leading=11, textColor=NOTE),
        "contents": style("contents", fontSize=11, leading=20),
    }


def table_style(header_rows: int = 1, numeric_from: int | None = None) -> list:
    """The look of every table: a shaded header, thin rules, room to breathe."""
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), TABLE_SIZE),
        ("LEADING", (0, 0), (-1, -1), TABLE_LEADING),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, header_rows - 1), 0.8, INK),
        ("LINEBELOW", (0, header_rows), (-1, -1), 0.25, LINE),
        ("BACKGROUND", (0, 0), (-1, header_rows - 1), SHADE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
    ]
    if numeric_from is not None:
        commands.append(("ALIGN", (numeric_from, 0), (-1, -1), "RIGHT"))
    return commands
