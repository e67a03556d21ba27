"""The document template every report uses: cover, contents, body pages with header and footer.

One layout pass only. The canvas keeps each page until the end; when the document is saved it knows the page
count and where every section began, so it writes "page X of Y" on each page and the page numbers onto the
contents page then.
"""

import io
from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import datetime
from xml.sax.saxutils import escape

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageBreak, PageTemplate, Paragraph

from cxroadmap.i18n import current_language, format_moment
from cxroadmap.palette import BOLD, FONT, INK, LINE, MARGIN, MUTED, register_fonts
from cxroadmap.reportkit.labels import label

PAGE_WIDTH, PAGE_HEIGHT = A4
CONTENT_WIDTH = PAGE_WIDTH - 2 * MARGIN
# The boxes the organisation's logo is fitted into, keeping its proportions: on the cover above the title, in
# the header before the organisation's name.
COVER_LOGO = (70 * mm, 24 * mm)
HEADER_LOGO = (28 * mm, 14)
# A section starts on the page the previous one ends on when this much room is left there; on a new page otherwise.
SECTION_ROOM = 70 * mm


class SectionHeading(Paragraph):
    """A heading that opens a section: it gets a bookmark, an outline entry and a line in the contents."""

    def __init__(self, text: str, style, key: str, level: int = 0, in_contents: bool = True):
        """text is plain (what a reader sees): escaped for the heading's markup, kept as it is for the outline
        and the contents, which are drawn as text and would otherwise show '&lt;' for '<'."""
        super().__init__(escape(" ".join(str(text).split())), style)
        self.key, self.level, self.in_contents = key, level, in_contents
        self.plain_text = " ".join(str(text).split())


@dataclass
class Section:
    title: str
    key: str
    level: int
    page: int
    in_contents: bool = True


@dataclass
class Layout:
    """What the pass learnt about the document, read back by the canvas when it saves."""

    sections: list[Section] = field(default_factory=list)
    contents_page: int | None = None
    has_cover: bool = True


class ReportDocument(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, *, title: str, organisation: str, author: str, subject: str,
                 generated_at: datetime, has_cover: bool = True, logo: bytes | None = None,
                 readable_at: str | None = None):
        """logo: the organisation's logo as PNG bytes (re-encoded on upload), drawn on the cover and in the
        header of every page; None for none. readable_at: the address of the report's accessible HTML version,
        written and linked at the foot of the first page (ReportLab cannot tag a PDF for screen readers)."""
        register_fonts()
        super().__init__(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN + 8,
                         bottomMargin=MARGIN + 6, title=f"{title} · {organisation}", author=author, subject=subject,
                         creator="cxroadmap", producer="cxroadmap (ReportLab)", initialFontName=FONT,
                         lang=current_language(), displayDocTitle=1)
        self.readable_at = readable_at
        self.organisation, self.report_title, self.generated_at = organisation, title, generated_at
        self.layout = Layout(has_cover=has_cover)
        self.logo = ImageReader(io.BytesIO(logo)) if logo else None
        # No side padding: what the story draws at CONTENT_WIDTH fills the frame exactly, between the rules of the
        # header and footer, and headings, tables and charts share one left edge.
        body = Frame(self.leftMargin, self.bottomMargin, self.width, self.height, id="body", leftPadding=0,
                     rightPadding=0)
        templates = [PageTemplate(id="cover", frames=[body], onPage=self._cover_page),
                     PageTemplate(id="contents", frames=[body], onPage=self._body_page),
                     PageTemplate(id="body", frames=[body], onPage=self._body_page)]
        # The first template serves the first page: a report without a cover starts on a body page.
        self.addPageTemplates(templates if has_cover else templates[::-1])

    def afterFlowable(self, flowable):
        # Only noted here: the canvas sets bookmarks as it writes the pages out (see NumberedCanvas).
        if isinstance(flowable, SectionHeading):
            key = f"s{len(self.layout.sections)}-{flowable.key}"
            self.layout.sections.append(Section(flowable.plain_text, key, flowable.level, self.page,
                                                flowable.in_contents))
        elif isinstance(flowable, ContentsPlaceholder):
            self.layout.contents_page = self.page

    def _cover_page(self, canvas, doc):
        body = doc.pageTemplate.frames[0]
        canvas.saveState()
        canvas.setFillColor(INK)
        canvas.rect(0, PAGE_HEIGHT - 14, PAGE_WIDTH, 14, stroke=0, fill=1)
        if self.logo is not None:
            width, height = _fitted(self.logo, *COVER_LOGO)
            left = MARGIN + body.leftPadding  # in line with the title below it, which sits in the body frame
            canvas.drawImage(self.logo, left, PAGE_HEIGHT - MARGIN - 8 - height, width, height, mask="auto")
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(MARGIN, MARGIN, label("generated", when=self._when()))
        canvas.restoreState()
        self._readable_link(canvas, MARGIN + 14)

    def _readable_link(self, canvas, y: float) -> None:
        """On the first page: where the accessible HTML version is read, as text and as a link."""
        if not self.readable_at or canvas.getPageNumber() != 1:
            return
        text = label("readable", url=self.readable_at)
        canvas.saveState()
        canvas.setFont(FONT, 8.5)
        canvas.setFillColor(INK)
        text = _fit(canvas, text, FONT, 8.5, CONTENT_WIDTH)
        canvas.drawString(MARGIN, y, text)
        width = canvas.stringWidth(text, FONT, 8.5)
        canvas.linkURL(self.readable_at, (MARGIN, y - 2, MARGIN + width, y + 9), relative=0, thickness=0)
        canvas.restoreState()

    def _body_page(self, canvas, doc):
        canvas.saveState()
        canvas.setStrokeColor(LINE)
        canvas.setLineWidth(0.5)
        top = PAGE_HEIGHT - MARGIN + 2
        canvas.line(MARGIN, top, PAGE_WIDTH - MARGIN, top)
        name_at = MARGIN
        if self.logo is not None:
            width, height = _fitted(self.logo, *HEADER_LOGO)
            canvas.drawImage(self.logo, MARGIN, top + 3, width, height, mask="auto")
            name_at += width + 6
        canvas.setFont(BOLD, 8)
        canvas.setFillColor(INK)
        canvas.drawString(name_at, top + 4, _fit(canvas, self.organisation, BOLD, 8,
                                                 CONTENT_WIDTH * 0.6 - (name_at - MARGIN)))
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawRightString(PAGE_WIDTH - MARGIN, top + 4, self.report_title)
        canvas.line(MARGIN, MARGIN, PAGE_WIDTH - MARGIN, MARGIN)
        canvas.drawString(MARGIN, MARGIN - 11, label("generated", when=self._when()))
        canvas.restoreState()
        self._readable_link(canvas, MARGIN - 22)

    def _when(self) -> str:
        return f"{format_moment(self.generated_at)} UTC"

    def render(self, story: list) -> bytes:
        told = LAYOUT_PROGRESS.get()
        if told is not None:
            self.setProgressCallBack(_share_laid_out(told))
        self.build(story, canvasmaker=lambda *args, **kwargs: NumberedCanvas(*args, layout=self.layout, **kwargs))
        return self.filename.getvalue()


# Who wants to hear how much of the story is laid out (a report built in the background shows it), as a share.
LAYOUT_PROGRESS: ContextVar[Callable[[float], None] | None] = ContextVar("report_layout_progress", default=None)


def _share_laid_out(told: Callable[[float], None]) -> Callable[[str, int], None]:
    total = [0]

    def hear(event: str, value: int) -> None:
        if event == "SIZE_EST":
            total[0] = max(value, 1)
        elif event == "PROGRESS" and total[0]:
            told(min(value / total[0], 1.0))
    return hear


class ContentsPlaceholder(Paragraph):
    """Marks the contents page; its lines are drawn by the canvas once every section's page is known."""


def contents_story(styles) -> list:
    return [NextPageTemplate("contents"), PageBreak(), ContentsPlaceholder(label("contents"), styles["h1"]),
            NextPageTemplate("body"), PageBreak()]


def _fitted(image: ImageReader, most_wide: float, most_high: float) -> tuple[float, float]:
    """The size image is drawn at: as large as fits the box, in its own proportions."""
    width, height = image.getSize()
    scale = min(most_wide / width, most_high / height)
    return width * scale, height * scale


def _fit(canvas, text: str, font: str, size: float, width: float) -> str:
    """text shortened with an ellipsis until it fits width (user names can be long)."""
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[:-1]
    return text + "…"


class NumberedCanvas(Canvas):
    """Holds every page back until save(), then adds "page X of Y" and the contents page's numbers."""

    def __init__(self, *args, layout: Layout, **kwargs):
        super().__init__(*args, **kwargs)
        self._pages: list[dict] = []
        self._layout = layout

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            # Bookmarks point at the page being written, so they are set now rather than during layout.
            for section in self._layout.sections:
                if section.page == number:
                    self.bookmarkPage(section.key)
                    self.addOutlineEntry(section.title, section.key, level=section.level, closed=False)
            if number > 1 or not self._layout.has_cover:
                self._draw_page_number(number, total)
            if number == self._layout.contents_page:
                self._draw_contents()
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, total: int) -> None:
        self.saveState()
        self.setFont(FONT, 8)
        self.setFillColor(MUTED)
        self.drawRightString(PAGE_WIDTH - MARGIN, MARGIN - 11, label("page", page=number, pages=total))
        self.restoreState()

    def _draw_contents(self) -> None:
        self.saveState()
        y = PAGE_HEIGHT - MARGIN - 8 - 48
        for section in (s for s in self._layout.sections if s.in_contents):
            indent = 14 * section.level
            size = 11 if section.level == 0 else 9.5
            font = BOLD if section.level == 0 else FONT
            self.setFont(font, size)
            self.setFillColor(INK if section.level == 0 else MUTED)
            title = _fit(self, section.title, font, size, CONTENT_WIDTH - indent - 40)
            self.drawString(MARGIN + indent, y, title)
            self.drawRightString(PAGE_WIDTH - MARGIN, y, str(section.page))
            self.setStrokeColor(LINE)
            self.setDash(1, 2)
            start = MARGIN + indent + self.stringWidth(title, font, size) + 4
            self.line(start, y + 2, PAGE_WIDTH - MARGIN - 20, y + 2)
            self.setDash()
            self.linkRect("", section.key, (MARGIN, y - 3, PAGE_WIDTH - MARGIN, y + size), relative=0, thickness=0)
            y -= 20 if section.level == 0 else 15
            if y < MARGIN + 20:
                break
        self.restoreState()
