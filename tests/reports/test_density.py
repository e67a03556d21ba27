"""Reports an executive forwards: full pages, readable type, headings with what follows them, titles whole."""

import io
import re

from pypdf import PdfReader
from reportlab.lib.colors import Color

from cxroadmap.demo import seed_demo
from cxroadmap.reportkit.styles import stylesheet
from tests.reports.test_reports import render


def darkness(colour: Color) -> float:
    return 1 - (0.2126 * colour.red + 0.7152 * colour.green + 0.0722 * colour.blue)


def test_running_text_is_at_least_9_points_in_near_black():
    styles = stylesheet()
    for name in ("body", "story", "small"):
        assert styles[name].fontSize >= 9, name
        assert darkness(styles[name].textColor) >= 0.7, name  # #3d4956 and darker


def pages_of(content: bytes) -> list[list[str]]:
    """Each page's lines, without the running header (two lines) and footer."""
    pages = []
    for page in PdfReader(io.BytesIO(content)).pages:
        lines = [line for line in (page.extract_text() or "").splitlines() if line.strip()]
        pages.append([line for line in lines if not line.startswith(("Generated ", "page "))][2:])
    return pages


def test_no_page_of_the_demo_roadmap_is_left_nearly_empty_and_no_title_is_cut():
    content = render(seed_demo(), "roadmap")
    pages = pages_of(content)
    # The cover and the contents stand alone; the last page may end where the report ends.
    for number, lines in enumerate(pages[2:-1], start=3):
        assert len(lines) >= 20, (number, lines)
    text = " ".join(" ".join(lines) for lines in pages)
    assert not re.search(r"\w…", text), re.findall(r".{40}\w…", text)  # a title is wrapped, never cut


def test_a_heading_is_never_the_last_thing_on_a_page():
    organisation = seed_demo()
    styles = stylesheet()
    for kind in ("roadmap", "summary"):
        for lines in pages_of(render(organisation, kind)):
            last = lines[-1] if lines else ""
            assert last not in ("Benefits", "Readiness", "Maturity", "What needs attention", "KPIs off track",
                                "In short", "Widest gaps between expectation and perception"), (kind, lines[-5:])
    assert styles["h2"].keepWithNext and styles["h1"].keepWithNext
