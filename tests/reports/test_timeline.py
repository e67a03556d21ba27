"""The roadmap report's timeline, read back as a reader would: its marks, its width, its pages."""

import io
import re
from datetime import date, timedelta

from pypdf import PdfReader
from reportlab.graphics.shapes import Polygon, String
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Frame

from cxroadmap.charts import drawings
from cxroadmap.charts.timeline import TimelineChart
from cxroadmap.extensions import db
from cxroadmap.initiatives import tracking
from cxroadmap.palette import FONT, MARGIN
from cxroadmap.reportkit.document import CONTENT_WIDTH, PAGE_HEIGHT, PAGE_WIDTH
from cxroadmap.reports.services import make_report
from cxroadmap.timeutil import today, utcnow
from tests.factories import InitiativeFactory, OrganisationFactory

TODAY = today()
NOW = drawings.quarter_of(TODAY)
LONG_TITLE = "Rebuild the whole returns journey for business customers across every warehouse and carrier we use"


def timeline_pages(content: bytes) -> list[str]:
    pages = [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]
    start = next(n for n, text in enumerate(pages) if re.search(r"^Roadmap timeline", text, re.M) and "Q" in text)
    return [text for text in pages[start:] if "Initiatives by quarter" in text or "(continued)" in text
            or text is pages[start]]


def right_edges(content: bytes, page_numbers: list[int]) -> list[tuple[float, str]]:
    """Where each run of the chart's text on those pages ends, from the left edge of the page, as drawn (the
    header and footer in the margins, and the paragraphs in 8 point that wrap by themselves, left out)."""
    reader, edges = PdfReader(io.BytesIO(content)), []
    for number in page_numbers:
        def visit(text, cm, tm, font, size):
            if text.strip():
                scale = (tm[0] ** 2 + tm[1] ** 2) ** 0.5 * size
                x, y = cm[0] * tm[4] + cm[2] * tm[5] + cm[4], cm[1] * tm[4] + cm[3] * tm[5] + cm[5]
                if MARGIN < y < PAGE_HEIGHT - MARGIN and (scale < 7.9 or text.strip() == "!"):
                    edges.append((x + stringWidth(text.strip(), FONT, scale), text))
        reader.pages[number].extract_text(visitor_text=visit)
    return edges


def planned(organisation, n, **fields):
    return InitiativeFactory(organisation=organisation, ref=f"INIT-{n}", readiness_question="know_roles",
                             start_date=TODAY, due_date=TODAY + timedelta(days=120 + n), **fields)


def test_the_pdf_timeline_marks_milestones_and_conflicts_and_lists_undated_ones():
    organisation = OrganisationFactory(slug="tl")
    needed = planned(organisation, 1, title="Carrier contract")
    needed.due_date = TODAY + timedelta(days=300)
    waiting = planned(organisation, 2, title="Next-day returns")
    tracking.add_dependency(organisation, waiting, needed)  # starts before what it waits for is due: a conflict
    tracking.add_milestone(needed, "Signed", TODAY + timedelta(days=60))
    planned(organisation, 3, title=LONG_TITLE)
    InitiativeFactory(organisation=organisation, ref="INIT-4", title="Someday maybe", start_date=None, due_date=None)
    planned(organisation, 5, title="Far ahead").start_date = TODAY + timedelta(days=3000)
    db.session.commit()
    content = make_report(organisation, "roadmap", TODAY, utcnow(), 3, 365).content
    all_pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    shown = [n for n, page in enumerate(all_pages) if "Initiatives by quarter" in page]
    edges = right_edges(content, shown)
    assert any(text.startswith("starts Q") for _, text in edges)  # drawn at the right edge of the chart
    assert max(edges) <= (PAGE_WIDTH - MARGIN, ""), sorted(edges)[-3:]
    text = " ".join(timeline_pages(content))
    assert "INIT-2 Next-day returns" in text and "!" in text
    assert "No dates" in text and "INIT-4 Someday maybe" in text and "no dates yet" in text
    # A title too long for one line is wrapped, never cut: every word, in order, with no ellipsis.
    assert f"INIT-3 {' '.join(LONG_TITLE.split())}" in " ".join(text.split())
    assert "INIT-3 " in text and "…" not in text.split("INIT-3 ")[1].split("INIT-")[0]
    rows = [{"kind": "group", "label": "Roles"},
            {"label": "INIT-1 Carrier contract", "start": TODAY, "due": TODAY + timedelta(days=300),
             "health": "green", "milestones": [TODAY + timedelta(days=60)], "conflict": False}]
    chart = TimelineChart(rows, NOW - 1, 6, TODAY)
    chart.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    assert [shape for shape in chart.drawn().contents if isinstance(shape, Polygon)]  # the milestone's diamond


def test_the_pdf_timeline_fits_inside_the_frame():
    frame = Frame(0, 0, CONTENT_WIDTH, PAGE_HEIGHT)  # the report's body frame, with its padding
    rows = [{"kind": "group", "label": "A group with a long name " * 6}]
    for n in range(6):  # bars to the last quarter and past it, milestones on the very last day shown
        rows.append({"label": f"INIT-{n} {LONG_TITLE}", "start": date(2020, 1, 1), "due": date(2040, 1, 1),
                     "health": "amber", "status": "in_progress", "conflict": True,
                     "milestones": [drawings_last_day(NOW + 5), TODAY]})
    rows.append({"label": "INIT-9 Starts late", "start": date(2040, 1, 1), "due": date(2041, 1, 1),
                 "health": "green", "status": "approved"})
    chart = TimelineChart(rows, NOW - 1, 7, TODAY)
    width, _ = chart.wrap(frame._aW, PAGE_HEIGHT)
    left, _, right, _ = chart.drawn().getBounds()
    assert left >= 0 and right <= frame._aW and width <= frame._aW


def drawings_last_day(quarter: int) -> date:
    return date(quarter // 4, quarter % 4 * 3 + 3, 28)


def test_many_rows_run_over_pages_at_a_readable_size():
    organisation = OrganisationFactory(slug="tl")
    for n in range(1, 121):
        planned(organisation, n, title=f"Plan number {n}")
    db.session.commit()
    content = make_report(organisation, "roadmap", TODAY, utcnow(), 3, 365).content
    pages = timeline_pages(content)
    assert len(pages) >= 3
    for page in pages:  # every page has the quarters' axis and rows
        assert re.search(r"\bQ[1-4]\b", page) and "INIT-" in page
    assert any("Roles (continued)" in page or "(continued)" in page for page in pages[1:])
    assert all(f"INIT-{n} Plan number {n}" in " ".join(pages) for n in (1, 60, 120))
    chart = TimelineChart([{"kind": "group", "label": "G"}] + [
        {"label": f"INIT-{n}", "start": TODAY, "due": TODAY, "health": "green"} for n in range(200)], NOW - 1, 5)
    chart.wrap(CONTENT_WIDTH, PAGE_HEIGHT)
    first, rest = chart.split(CONTENT_WIDTH, 400)
    first.wrap(CONTENT_WIDTH, 400)
    assert first.height <= 400 and rest.rows[0]["label"] == "G (continued)"
    sizes = {shape.fontSize for shape in first.drawn().contents if isinstance(shape, String)}
    assert min(sizes) >= 6.5
