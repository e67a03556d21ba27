"""The steering deck: it opens with python-pptx and in LibreOffice Impress, and its slides say the figures."""

import io
import shutil
import subprocess

import pytest
from pptx import Presentation

from cxroadmap.extensions import db
from cxroadmap.i18n import in_language
from cxroadmap.initiatives.models import Initiative
from cxroadmap.overview.slides import clean, make_deck
from cxroadmap.reportkit.making import ReportOrder
from cxroadmap.timeutil import today, utcnow
from tests.reports.test_narrative import told_organisation


def deck_of(organisation, language: str = "en"):
    with in_language(language):
        made = make_deck(ReportOrder(organisation, today(), utcnow(), 3, 365))
    return made, Presentation(io.BytesIO(made.content))


def slide_texts(deck) -> list[str]:
    texts = []
    for slide in deck.slides:
        words = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                words.append(shape.text_frame.text)
            if shape.has_table:
                words += [cell.text for row in shape.table.rows for cell in row.cells]
        texts.append(" ".join(words))
    return texts


@pytest.mark.parametrize(("language", "words"), [
    ("en", ["In short", "a clear rise at 95 %", "Where we stand", "Mobilise (current)", "Red initiatives",
            "Hire two planners", "Decisions needed", "INIT-2 Spare parts portal: red, and no decision taken yet",
            "Widest gaps between expectation and perception", "−1.5", "€2,500"]),
    ("nl", ["In het kort", "een duidelijke stijging bij 95 %", "Waar we staan", "Mobiliseren (huidig)",
            "Rode initiatieven", "Hire two planners", "Te nemen besluiten", "−1,5", "€\xa02.500"]),
])
def test_the_deck_says_the_figures_in_the_readers_language(language, words):
    organisation = told_organisation()
    made, deck = deck_of(organisation, language)
    assert made.filename.endswith(".pptx")
    text = " ".join(slide_texts(deck))
    for expected in words:
        assert expected in text, expected
    assert organisation.name in slide_texts(deck)[0]
    charts = [shape.chart for slide in deck.slides for shape in slide.shapes if shape.has_chart]
    assert charts  # a native chart, KPI by KPI: NPS went from 20 to 35 of the way from 20 to 40
    achieved = dict(zip(charts[0].plots[0].categories, charts[0].plots[0].series[0].values, strict=True))
    assert achieved["NPS · Relationship NPS"] == 75.0
    assert all(slide.has_notes_slide and slide.notes_slide.notes_text_frame.text for slide in deck.slides)
    assert deck.core_properties.language == language


def test_user_text_with_control_characters_makes_a_valid_deck():
    organisation = told_organisation()
    initiative = db.session.query(Initiative).filter_by(ref="INIT-2").one()
    initiative.title = "Spare\x01 parts\x0b <portal> & “quotes”\x1f"
    organisation.brand_promise = "Tomorrow\x07 before ten & <b>no</b> excuses"
    db.session.commit()
    _made, deck = deck_of(organisation)
    text = " ".join(slide_texts(deck))
    assert "Spare parts <portal> & “quotes”" in text and "Tomorrow before ten & <b>no</b> excuses" in text
    assert clean("a\x00b\tc\nd") == "ab\tc\nd"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed: .ci/run "
                    "installs libreoffice-impress-nogui")
def test_libreoffice_impress_opens_the_deck_and_reads_its_text(tmp_path):
    made, deck = deck_of(told_organisation())
    source = tmp_path / made.filename
    source.write_bytes(made.content)
    subprocess.run(["soffice", f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "pdf", "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=180)
    from pypdf import PdfReader

    pdf = PdfReader(tmp_path / source.with_suffix(".pdf").name)
    assert len(pdf.pages) == len(deck.slides)
    text = " ".join(page.extract_text() for page in pdf.pages)
    for expected in ("In short", "Red initiatives", "Hire two planners", "Decisions needed"):
        assert expected in text, expected


def test_the_reports_page_offers_the_deck_beside_the_pdf(client):
    organisation = told_organisation()
    page = client.get(f"/o/{organisation.slug}/reports").get_data(as_text=True)
    assert f"/o/{organisation.slug}/reports/current/deck.pptx" in page
    response = client.get(f"/o/{organisation.slug}/reports/current/deck.pptx")
    assert response.status_code == 200
    assert response.mimetype == "application/vnd.openxmlformats-officedocument.presentationml.presentation"
    assert "attachment" in response.headers["Content-Disposition"]
    Presentation(io.BytesIO(response.data))


def test_a_large_organisations_deck_is_built_in_the_background(app, client, monkeypatch):
    import re

    from cxroadmap.jobs.runner import wait_for_jobs
    from tests.factories import InitiativeFactory, OrganisationFactory

    monkeypatch.setitem(app.config, "BACKGROUND_REPORT_INITIATIVES", 2)
    organisation = OrganisationFactory(slug="big", name="Big Programme B.V.")
    for number in range(3):
        InitiativeFactory(organisation=organisation, title=f"Webshop promise {number}", health="red")
    page = client.get("/o/big/reports").get_data(as_text=True)
    assert 'name="kind" value="deck"' in page and "/o/big/reports/current/deck.pptx" not in page
    assert client.get("/o/big/reports/current/deck.pptx").headers["Location"].endswith("/o/big/reports")
    started = client.post("/o/big/reports/build", data={"kind": "deck"})
    assert started.status_code == 302
    wait_for_jobs(app)
    job_page = client.get(started.headers["Location"]).get_data(as_text=True)
    link = re.search(r'href="(/o/big/jobs/[^"]+/download/[^"]+\.pptx)"', job_page).group(1)
    download = client.get(link)
    assert download.status_code == 200 and download.mimetype.endswith("presentationml.presentation")
    assert "Webshop promise 2" in " ".join(slide_texts(Presentation(io.BytesIO(download.data))))
