"""Answers gathered elsewhere, uploaded on the KPI page in the browser, are stored with the survey feeding the KPI
and show on its page; in English at 1280 px and in Dutch at 390 px. With CXROADMAP_SCREENSHOTS set, the pages are
kept as PNGs there."""

import os
from datetime import date, timedelta
from pathlib import Path

FOLDER = os.environ.get("CXROADMAP_SCREENSHOTS")


def _shot(page, name):
    if FOLDER:
        Path(FOLDER).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(FOLDER) / f"{name}.png"), full_page=True)


def _file(tmp_path, comment: str) -> str:
    day = (date.today() - timedelta(days=20)).isoformat()
    path = tmp_path / "answers.csv"
    path.write_text(f"score,answered_on,comment\n10,{day},{comment}\n9,{day},\n3,{day},\n", encoding="utf-8")
    return str(path)


def test_answers_uploaded_on_the_kpi_page_join_its_survey(signed_in, live_server, tmp_path):
    slug = live_server["slug"]
    for viewport, language, name, said in (
            (None, None, "kpi-answers-1280-en", "3 answers stored in"),
            ({"width": 390, "height": 844}, "nl", "kpi-answers-390-nl", "3 antwoorden opgeslagen in")):
        page = signed_in("steering", viewport=viewport, locale=language)
        width = (viewport or {"width": 1280})["width"]
        page.goto(f"/o/{slug}/kpis/NPS-REL")
        _shot(page, f"{name}-form")
        page.set_input_files("#answers", _file(tmp_path, f"Uploaded {language}"))
        page.click("form[action$='/answers'] button[type=submit]")
        page.wait_for_load_state()
        assert said in page.inner_text("body")
        _shot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
