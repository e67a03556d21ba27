"""What every PDF report is drawn with: user text escaped for the paragraph markup, tables that split across pages,
a row of key figures, and the renderer that assembles a report's story from its section methods."""

import io
from datetime import date
from decimal import Decimal
from functools import partial
from xml.sax.saxutils import escape

from flask_babel.speaklater import LazyString
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import CondPageBreak, Flowable, LongTable, Paragraph, Table, TableStyle

from cxroadmap.areas import ReportSection, contributions
from cxroadmap.i18n import current_language, format_day, format_share
from cxroadmap.money import format_money
from cxroadmap.organisations.services import logo_of
from cxroadmap.palette import FONT
from cxroadmap.reportkit.document import CONTENT_WIDTH, SECTION_ROOM, ReportDocument, SectionHeading
from cxroadmap.reportkit.labels import label
from cxroadmap.reportkit.styles import TABLE_SIZE, stylesheet, table_style

TABLE_BLOCK = 60
CELL_PADDING = 8  # left and right, as styles.table_style sets them


def fitting(style: ParagraphStyle, text: str, width: float, whole: bool = False) -> ParagraphStyle:
    """The style, made smaller when a word of text (or, with whole, the whole text) would not fit in width.

    Column headings and key figures are short, but not in every language: 'Gezondheid' or '€ 1.912.940'
    would otherwise break in the middle of the word. Never below 70 % of the size.
    """
    pieces = [text] if whole else text.split()
    widest = max((stringWidth(piece, style.fontName, style.fontSize) for piece in pieces), default=0)
    if widest <= width:
        return style
    size = max(style.fontSize * width / widest, style.fontSize * 0.7)
    return ParagraphStyle(f"{style.name}-{size:.1f}", parent=style, fontSize=size,
                          leading=style.leading * size / style.fontSize)


class Cell(Paragraph):
    """A paragraph in a table cell, laid out once per width: tables measure their rows again at every page
    split, and breaking the same text into the same lines again is most of what a long report costs.

    The lines broken are kept only while they are still the paragraph's own: when a split finds no room for the
    paragraph, ReportLab drops them (`del self.blPara`) and expects the next wrap to break them again, so the
    paragraph is laid out anew then rather than drawn without lines."""

    _laid_out = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's signature
        laid_out, lines = self._laid_out, self.__dict__.get("blPara")
        if laid_out is not None and lines is not None and laid_out[0] == availWidth and lines is laid_out[2]:
            self.width, self.height = laid_out[1]
            return laid_out[1]
        size = super().wrap(availWidth, availHeight)
        self._laid_out = (availWidth, size, self.__dict__.get("blPara"))
        return size


def fits(text: str, width: float, font: str = FONT, size: float = TABLE_SIZE) -> bool:
    """Whether each line of text prints on one line within width in the table's font, so it needs no paragraph
    (a table draws the lines of a plain string one below the other, at the table's leading)."""
    return all(stringWidth(line, font, size) <= width for line in text.split("\n"))


class Mark(Flowable):
    """A coloured mark and a short label on one line of a table cell ('● Green'), drawn as the paragraph of the
    same markup draws it, without parsing markup and breaking lines for every row; a label too long for the
    column is left to that paragraph."""

    def __init__(self, colour, text: str, style: ParagraphStyle):
        super().__init__()
        self.colour, self.text, self.style = colour, text, style
        self.paragraph = None

    def wrap(self, availWidth, availHeight):  # noqa: N803 - ReportLab's signature
        style = self.style
        if stringWidth(f"● {self.text}", style.fontName, style.fontSize) <= availWidth:
            self.paragraph = None
            self.width, self.height = availWidth, style.leading
            return self.width, self.height
        self.paragraph = self.paragraph or Cell(f'<font color="{self.colour.hexval()}">●</font> {safe(self.text)}',
                                                style)
        self.width, self.height = self.paragraph.wrap(availWidth, availHeight)
        return self.width, self.height

    def split(self, availWidth, availHeight):  # noqa: N803 - ReportLab's signature
        return self.paragraph.split(availWidth, availHeight) if self.paragraph is not None else []

    def draw(self):
        if self.paragraph is not None:
            self.paragraph.drawOn(self.canv, 0, 0)
            return
        style = self.style
        line = self.canv.beginText(0, self.height - style.fontSize)  # the baseline a paragraph's first line has
        line.setFont(style.fontName, style.fontSize, style.leading)
        line.setFillColor(self.colour)
        line.textOut("●")
        line.setFillColor(style.textColor)
        line.textLine(f" {self.text}")  # ends the line, as a paragraph does: text copied out keeps its lines
        self.canv.drawText(line)


def safe(text) -> str:
    """User text as paragraph markup that prints it literally: never tags, entities, links or images."""
    return escape(str(text if text is not None else "")).replace("\n", "<br/>")


class Renderer:
    """A report: its story assembled from section methods over data gathered by services."""

    title_key = ""
    has_cover = True
    content_width = CONTENT_WIDTH  # for the areas' sections, as are safe, para, table …
    section_room = SECTION_ROOM  # the room a section needs on a page, or it starts on the next
    safe = staticmethod(safe)

    def __init__(self, data, readable_at: str | None = None):
        """data: what the report prints, gathered by services (`data.organisation`, `data.generated_at`);
        readable_at: the address of the report's accessible HTML version, linked from the first page."""
        self.data, self.readable_at = data, readable_at
        self.styles = stylesheet()
        self.organisation = data.organisation

    # -- the whole -------------------------------------------------------------------------------------
    def sections(self) -> list:
        raise NotImplementedError

    def story(self) -> list:
        return [flowable for section in self.sections() for flowable in section()]

    def contributed(self, place: str) -> list:
        """The sections the areas add at this place between sections (`cxroadmap.areas.ReportSection`), as
        sections of the report: each ends with a new page when too little room is left."""
        return [partial(self._contributed, section) for section in self._sections_at(place)]

    def _contributed(self, section: ReportSection) -> list:
        return [*section.draw(self), CondPageBreak(SECTION_ROOM)]

    def parts(self, place: str) -> list:
        """What the areas draw at this place inside a section, one after the other."""
        return [flowable for section in self._sections_at(place) for flowable in section.draw(self)]

    @staticmethod
    def _sections_at(place: str) -> list[ReportSection]:
        return sorted((section for section in contributions(ReportSection) if place in section.places),
                      key=lambda section: section.rank)

    def document_title(self) -> str:
        return label(self.title_key)

    def document_subject(self) -> str:
        return label("subject")

    def render(self) -> bytes:
        document = ReportDocument(io.BytesIO(), title=self.document_title(), organisation=self.organisation.name,
                                  author="cxroadmap", subject=self.document_subject(),
                                  generated_at=self.data.generated_at, has_cover=self.has_cover,
                                  logo=logo_of(self.organisation), readable_at=self.readable_at)
        return document.render(self.story())

    # -- pieces ----------------------------------------------------------------------------------------
    def para(self, text, style: str = "body") -> Paragraph:
        return Paragraph(safe(text), self.styles[style])

    def heading(self, text: str, key: str, level: int = 0) -> SectionHeading:
        return SectionHeading(text, self.styles["h1" if level == 0 else "h2"], key, level)

    def money(self, amount: Decimal | None) -> str:
        """In whole units, as every figure is read (see money.format_money)."""
        return format_money(amount, self.organisation.currency, current_language())

    @staticmethod
    def day(value) -> str:
        return format_day(value)

    @staticmethod
    def iso_day(text: str) -> str:
        """A date kept as ISO text (in a report's snapshot), as the reader writes dates; kept as is if not one."""
        try:
            return format_day(date.fromisoformat(text[:10]))
        except (TypeError, ValueError):
            return text

    @staticmethod
    def percent(fraction) -> str:
        return format_share(fraction)

    def table(self, header: list[str], rows: list[list], widths: list[float], numeric_from: int | None = None,
              extra: list | None = None, wrap: set[int] | None = None) -> list[LongTable]:
        """A table that splits across pages with its header repeated, as one or more flowables.

        Text in the columns of `wrap` (all when None) that does not fit on a line becomes a wrapped paragraph;
        the other columns hold short figures (refs, dates, amounts) drawn as plain strings, literally and much
        faster, and one that does not fit its column after all is drawn a little smaller, never over the next.
        Long tables come in blocks of TABLE_BLOCK rows, each with its header: ReportLab re-measures the rows left
        at every page split, so one table of thousands of rows takes time that grows with its square.
        """
        total = sum(widths)
        columns = [CONTENT_WIDTH * w / total for w in widths]
        head_style = [fitting(self.styles["cell_head_right" if numeric_from is not None and i >= numeric_from
                                          else "cell_head"], str(text), columns[i] - CELL_PADDING)
                      for i, text in enumerate(header)]
        # One header row, repeated at the top of every block and page: laid out once per width.
        cells = [[Cell(safe(text), head_style[i]) for i, text in enumerate(header)]]
        styles = [self.styles["cell_right" if numeric_from is not None and i >= numeric_from else "cell"]
                  for i in range(len(header))]
        wrapped = [wrap is None or i in wrap for i in range(len(header))]
        room = [width - CELL_PADDING for width in columns]
        made: dict[tuple[int, str], Cell] = {}

        def paragraph(i: int, text: str) -> Cell:
            # The same text in the same column ('Revenue: retention' on every other row) is one paragraph,
            # parsed and broken into lines once: drawing a paragraph changes nothing in it.
            if (i, text) not in made:
                made[i, text] = Cell(safe(text), styles[i])
            return made[i, text]

        for row in rows:
            # Texts defined in code (labels, descriptions) arrive as lazy translations: draw them as text.
            row = [str(cell) if isinstance(cell, LazyString) else cell for cell in row]
            # Text whose lines fit is drawn as a plain string (literally, in the same font and size); only text
            # that must wrap becomes a paragraph.
            cells.append([cell if not isinstance(cell, str) or fits(cell, room[i])
                          else paragraph(i, cell) if wrapped[i]
                          else Cell(safe(cell), fitting(styles[i], cell, room[i], whole=True))
                          for i, cell in enumerate(row)])
        style = TableStyle(table_style(numeric_from=numeric_from))
        blocks = []
        for start in range(1, max(len(cells), 2), TABLE_BLOCK):
            block = LongTable([cells[0]] + cells[start:start + TABLE_BLOCK], colWidths=columns, repeatRows=1,
                              splitInRow=1)
            block.setStyle(style)
            blocks.append(block)
        if extra:
            blocks[-1].setStyle(TableStyle(extra))
        return blocks

    def kpis(self, figures: list[tuple[str, str]]) -> Table:
        width = CONTENT_WIDTH / len(figures)
        value_style = self.styles["kpi_value"]
        for _, value in figures:  # the widest figure sets one size for all, so that they stay alike
            value_style = fitting(value_style, value, width - 2 * CELL_PADDING, whole=True)
        cells = [[Paragraph(safe(value), value_style) for _, value in figures],
                 [Paragraph(safe(name), self.styles["kpi_label"]) for name, _ in figures]]
        table = Table(cells, colWidths=[CONTENT_WIDTH / len(figures)] * len(figures))
        table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                   ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                   ("BOTTOMPADDING", (0, 0), (-1, 0), 0)]))
        return table
