"""Personal invitations in the browser: the steering committee uploads a contact list on the survey page (a bad
line named, then a good list), the background work sends them, a contact answers through their personal link and
another unsubscribes on a phone in Dutch. With CXROADMAP_SCREENSHOTS set, the pages are kept as PNGs there."""

import os
import time
from datetime import UTC, datetime
from pathlib import Path

from axe_playwright_python.sync_playwright import Axe
from sqlalchemy import select

from tests.e2e.test_accessibility import serious

FOLDER = os.environ.get("CXROADMAP_SCREENSHOTS")


def _shot(page, name, part=None):
    if FOLDER:
        Path(FOLDER).mkdir(parents=True, exist_ok=True)
        if part:
            page.locator(part).screenshot(path=str(Path(FOLDER) / f"{name}.png"))
        else:
            page.screenshot(path=str(Path(FOLDER) / f"{name}.png"), full_page=True)


def _relationship_survey(app):
    from cxroadmap.extensions import db
    from cxroadmap.surveys.models import Survey

    with app.app_context():
        survey = db.session.scalar(select(Survey).where(Survey.measure == "nps"))
        return survey.id, survey.code


def _links(app, email):
    from cxroadmap.extensions import db
    from cxroadmap.surveys.invitations.models import SurveyInvitation

    with app.app_context():
        invitation = db.session.scalar(select(SurveyInvitation).where(SurveyInvitation.email == email))
        return f"/f/{invitation.survey.code}/i/{invitation.token}", invitation.state


def test_contacts_are_invited_answer_and_unsubscribe(browser, live_server, signed_in, tmp_path):
    app = live_server["app"]
    survey_id, _code = _relationship_survey(app)
    page = signed_in("steering")
    page.goto(f"/o/{live_server['slug']}/surveys/{survey_id}")
    bad = tmp_path / "bad.csv"
    bad.write_text("email,name,language,order\nann@example.com,Ann,en,SO-1\nnobody,Bob,en,SO-2\n")
    page.set_input_files("#contacts", str(bad))
    page.click("form[action$='/invitations'] button[type=submit]")
    page.wait_for_load_state()
    assert "Line 3:" in page.inner_text("#contacts-error")
    _shot(page, "invitation-refused-1280-en", "section[aria-labelledby=invitations-title]")
    good = tmp_path / "good.csv"
    good.write_text("email,name,language,order\nann@example.com,Ann Smit,en,SO-1\n"
                    "bram@example.com,Bram de Vries,nl,SO-2\n")
    page.set_input_files("#contacts", str(good))
    page.click("form[action$='/invitations'] button[type=submit]")
    page.wait_for_load_state()
    assert "2 invitations queued" in page.inner_text("main")

    from cxroadmap.surveys.invitations.sending import send_invitations
    with app.app_context():
        assert send_invitations(datetime.now(UTC)) == 2
    app.config["SURVEY_MINIMUM_SECONDS"] = 1
    ann_link, state = _links(app, "ann@example.com")
    assert state == "sent"
    customer = browser.new_context(base_url=live_server["url"], viewport={"width": 1280, "height": 900})
    try:
        answer = customer.new_page()
        answer.goto(ann_link)
        assert answer.locator("html").get_attribute("lang") == "en"
        assert serious(Axe().run(answer)) == []
        answer.click("label[for=score-9]")
        time.sleep(1.2)
        answer.click("button[type=submit]")
        answer.wait_for_load_state()
        assert "Thank you" in answer.inner_text("h1")
        answer.goto(ann_link + "/unsubscribe")
        _shot(answer, "invitation-unsubscribe-1280-en")
    finally:
        customer.close()
    bram_link, _state = _links(app, "bram@example.com")
    phone = browser.new_context(base_url=live_server["url"], viewport={"width": 390, "height": 844})
    try:
        unsubscribe = phone.new_page()
        unsubscribe.goto(bram_link + "/unsubscribe")
        assert unsubscribe.locator("html").get_attribute("lang") == "nl"
        _shot(unsubscribe, "invitation-unsubscribe-390-nl")
        assert serious(Axe().run(unsubscribe)) == []
        assert unsubscribe.evaluate("document.documentElement.scrollWidth") <= 390
        unsubscribe.click("button[type=submit]")
        unsubscribe.wait_for_load_state()
        assert "U bent afgemeld" in unsubscribe.inner_text("h1")
        _shot(unsubscribe, "invitation-unsubscribed-390-nl")
    finally:
        phone.close()
    page.goto(f"/o/{live_server['slug']}/surveys/{survey_id}")
    figures = page.inner_text("#invitation-figures")
    assert "50 %" in figures
    page.locator("#invitations-title").scroll_into_view_if_needed()
    _shot(page, "invitation-survey-page-1280-en", "section[aria-labelledby=invitations-title]")
    page.goto(f"/o/{live_server['slug']}/surveys/suppressions")
    assert "bram@example.com" in page.inner_text("main")
    dutch = signed_in("steering", viewport={"width": 390, "height": 844}, locale="nl")
    dutch.goto(f"/o/{live_server['slug']}/surveys/{survey_id}")
    assert "Persoonlijke uitnodigingen per e-mail" in dutch.inner_text("main")
    assert dutch.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(dutch, "invitation-survey-page-390-nl", "section[aria-labelledby=invitations-title]")
    dutch.goto(f"/o/{live_server['slug']}/surveys/suppressions")
    _shot(dutch, "invitation-suppressions-390-nl")
    dutch.goto(f"/o/{live_server['slug']}/surveys")
    assert dutch.evaluate("document.documentElement.scrollWidth") <= 390
    _shot(dutch, "surveys-390-nl")
