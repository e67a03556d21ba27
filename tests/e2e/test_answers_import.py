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


def test_answers_uploaded_on_the_survey_page_refused_beside_the_field_then_stored(signed_in, live_server, tmp_path):
    """On the survey page, a bad file's lines are listed beside the field (nothing stored), a good one is stored and
    the message says how many; nothing scrolls sideways, in English at 1280 px and in Dutch at 390 px."""
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    slug, app = live_server["slug"], live_server["app"]
    with app.app_context():
        survey_id = db.session.scalar(db.select(Survey.id).where(Survey.measure == "nps"))
    bad = tmp_path / "bad.csv"
    bad.write_text("score,answered_on,comment\n11,2026-02-30,Too high\n-1,,\n", encoding="utf-8")
    for viewport, language, name, refused, said in (
            (None, None, "survey-answers-1280-en", "Line 2: the score “11”", "3 answers stored in"),
            ({"width": 390, "height": 844}, "nl", "survey-answers-390-nl", "Regel 2:", "3 antwoorden opgeslagen in")):
        page = signed_in("steering", viewport=viewport, locale=language)
        width = (viewport or {"width": 1280})["width"]
        page.goto(f"/o/{slug}/surveys/{survey_id}#upload-title")
        page.set_input_files("#answers", str(bad))
        page.click("form[action$='/answers'] button[type=submit]")
        page.wait_for_load_state()
        error = page.locator("#answers-error")
        assert refused in error.inner_text() and len(error.locator("li").all()) == 3
        box, field = error.bounding_box(), page.locator("#answers").bounding_box()
        assert 0 <= box["y"] - (field["y"] + field["height"]) < 40  # right below the field it is about
        _shot(page, f"{name}-refused")
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.set_input_files("#answers", _file(tmp_path, f"Uploaded {language}"))
        page.click("form[action$='/answers'] button[type=submit]")
        page.wait_for_load_state()
        assert said in page.inner_text("body")
        _shot(page, name)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
