"""The accessible version of each report: an HTML page with the same content, linked from the PDF and the page."""

import io

import pytest
from pypdf import PdfReader

from cxroadmap.i18n import in_language
from tests.reports.test_narrative import told_organisation
from tests.reports.test_reports import known_organisation, render, text_of


@pytest.mark.parametrize("kind", ["roadmap", "summary"])
def test_the_html_version_says_what_the_pdf_says(client, kind):
    organisation = told_organisation()
    page = client.get(f"/o/{organisation.slug}/reports/current/{kind}.html").get_data(as_text=True)
    pdf = text_of(render(organisation, kind))
    for words in ("In short", "a clear rise at 95 %", "INIT-1", "Delay calls", "Hire two planners", "Delivery",
                  "Mobilise", "Readiness", "What needs attention"):
        assert words in page and words in pdf, words
    assert f'href="/o/{organisation.slug}/reports/current/{kind}.pdf"' in page
    if kind == "roadmap":
        assert "Spare parts portal" in page and "Coalition and team roles" in page


def test_the_pdf_links_to_the_html_version_and_names_its_language_and_title():
    organisation = known_organisation()
    for language, kind in (("en", "roadmap"), ("nl", "summary")):
        with in_language(language):
            reader = PdfReader(io.BytesIO(render(organisation, kind)))
        first = reader.pages[0]
        links = [annotation.get_object() for annotation in first.get("/Annots", [])]
        uris = [link["/A"]["/URI"] for link in links if "/A" in link and "/URI" in link["/A"]]
        assert uris == [f"http://127.0.0.1:5000/o/known/reports/current/{kind}.html"]
        assert uris[0] in first.extract_text().replace("\n", "")
        assert reader.trailer["/Root"]["/Lang"] == language
        assert "Known B.V." in reader.metadata.title
        assert reader.trailer["/Root"]["/ViewerPreferences"]["/DisplayDocTitle"]


def test_the_reports_page_links_each_html_version(client):
    organisation = known_organisation()
    page = client.get("/o/known/reports").get_data(as_text=True)
    assert "/o/known/reports/current/roadmap.html" in page and "/o/known/reports/current/summary.html" in page
    assert client.get("/o/known/reports/current/nothing.html").status_code == 404
    assert organisation.slug == "known"
