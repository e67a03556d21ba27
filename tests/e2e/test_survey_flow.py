"""A customer answers the demo's moment-of-truth survey on a phone, in Dutch, without an account; the steering
committee sees it arrive. With CXROADMAP_SCREENSHOTS set, the pages are kept as PNGs there."""

import os
import time
from pathlib import Path

from sqlalchemy import select

FOLDER = os.environ.get("CXROADMAP_SCREENSHOTS")


def _shot(page, name):
    if FOLDER:
        Path(FOLDER).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(FOLDER) / f"{name}.png"), full_page=True)


def _effort_survey(live_server):
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with live_server["app"].app_context():
        survey = db.session.scalar(select(Survey).where(Survey.measure == "ces"))
        return survey.id, survey.code


def _respondents(app, survey_id) -> tuple[str, int]:
    """The KPI the survey feeds, and the respondents of its reading of this month (0 without one)."""
    from cxroadmap.extensions import db
    from cxroadmap.measures.models import KpiReading
    from cxroadmap.surveys.models import Survey
    from cxroadmap.timeutil import today

    with app.app_context():
        survey = db.session.get(Survey, survey_id)
        reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id,
                                                             KpiReading.taken_on == today().replace(day=1)))
        return survey.kpi.code, reading.respondents if reading else 0


def test_a_customer_answers_on_a_phone_in_dutch(browser, live_server, signed_in):
    survey_id, code = _effort_survey(live_server)
    app = live_server["app"]
    app.config["SURVEY_MINIMUM_SECONDS"] = 1
    kpi, before = _respondents(app, survey_id)
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844},
                                  locale="nl-NL", extra_http_headers={"Accept-Language": "nl-NL,nl;q=0.9"})
    try:
        phone = context.new_page()
        phone.goto(f"/f/{code}?order=SO-991&channel=delivery-note")
        assert phone.locator("html").get_attribute("lang") == "nl"
        assert "Van Dijk Onderdelen B.V." in phone.inner_text("body")
        _shot(phone, "survey-answer-390-nl")
        width = phone.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, width
        phone.click("label[for=score-6]")
        phone.click("label[for=expectation-7]")
        phone.click("label[for=perception-5]")
        phone.fill("#comment", "Om 9:40 op de bouwplaats, prima.")
        time.sleep(1.2)
        phone.click("button[type=submit]")
        phone.wait_for_load_state()
        assert "Dank u wel" in phone.inner_text("h1")
        _shot(phone, "survey-thanks-390-nl")
    finally:
        context.close()
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import SurveyAnswer

    with app.app_context():
        stored = db.session.scalar(select(SurveyAnswer).order_by(SurveyAnswer.id.desc()))
        assert (stored.score, stored.language, stored.hidden) == (6, "nl", {"order": "SO-991",
                                                                            "channel": "delivery-note"})
    page = signed_in("steering")
    page.goto(f"/o/{live_server['slug']}/surveys/{survey_id}")
    assert "Om 9:40 op de bouwplaats, prima." in page.inner_text("main")
    _shot(page, "survey-page-1280-en")
    # Within seconds, with nothing run by anyone, the KPI's reading of the month counts the answer.
    deadline = time.monotonic() + 5
    while _respondents(app, survey_id)[1] == before and time.monotonic() < deadline:
        time.sleep(0.1)
    page.goto(f"/o/{live_server['slug']}/kpis/{kpi}")
    assert f"Worked out from {before + 1} survey answers." in page.inner_text("main")


def test_the_answer_page_in_english_on_a_laptop(browser, live_server):
    _survey_id, code = _effort_survey(live_server)
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        page.goto(f"/f/{code}?lang=en")
        assert "Send my answer" in page.inner_text("form")
        _shot(page, "survey-answer-1280-en")
        sizes = page.evaluate("performance.getEntriesByType('resource').map(e => e.transferSize)")
        document = page.evaluate("performance.getEntriesByType('navigation')[0].transferSize")
        assert sum(sizes) + document < 60_000
    finally:
        context.close()


def test_the_survey_pages_look_right_on_a_phone_in_dutch(live_server, signed_in):
    survey_id, _code = _effort_survey(live_server)
    slug = live_server["slug"]
    phone = signed_in("steering", viewport={"width": 390, "height": 844}, locale="nl")
    for name, path in (("show", f"/o/{slug}/surveys/{survey_id}"), ("index", f"/o/{slug}/surveys"),
                       ("edit", f"/o/{slug}/surveys/{survey_id}/edit")):
        phone.goto(path)
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390, name
        _shot(phone, f"survey-{name}-390-nl")


def test_the_relationship_nps_with_its_ratings_fits_a_phone(browser, live_server):
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with live_server["app"].app_context():
        code = db.session.scalar(select(Survey.code).where(Survey.measure == "nps"))
    context = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844})
    try:
        page = context.new_page()
        page.goto(f"/f/{code}?lang=nl")
        assert page.locator(".points-11 label").count() == 11
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        _shot(page, "survey-nps-390-nl")
    finally:
        context.close()
