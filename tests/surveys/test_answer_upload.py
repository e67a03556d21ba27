"""Answers gathered elsewhere, uploaded as CSV on the survey's page (the steering committee's): stored in that survey
with a message saying how many; a bad file names every refused line beside the field and stores nothing; a large
file is checked while the person waits and stored by the background work, followed on its job's page."""

import io
import re
from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.measures.models import KpiReading
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.timeutil import today
from tests.helpers import page_text
from tests.surveys.helpers import journey, live_survey


@pytest.fixture
def setting(client_as):
    organisation, delivery, invoice = journey()
    survey = live_survey(organisation, delivery, measure="ces", title="After delivery")
    return organisation, survey, client_as("steering", organisation)


def upload(browser, survey, content: bytes, day=None, slug="acme", follow=False):
    return browser.post(f"/o/{slug}/surveys/{survey.id}/answers",
                        data={"answers": (io.BytesIO(content), "answers.csv"),
                              "taken_on": (day or today()).isoformat()},
                        content_type="multipart/form-data", follow_redirects=follow)


def stored(survey=None) -> int:
    query = select(func.count()).select_from(SurveyAnswer)
    if survey is not None:
        query = query.where(SurveyAnswer.survey_id == survey.id)
    return db.session.scalar(query)


def test_the_survey_page_offers_the_upload_to_the_steering_committee_only(setting, client_as):
    organisation, survey, browser = setting
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert f'action="/o/acme/surveys/{survey.id}/answers"' in page and 'enctype="multipart/form-data"' in page
    viewer = client_as("viewer", organisation).get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "/answers\"" not in viewer and "Import answers from a file" not in viewer


def test_a_good_file_is_stored_in_the_survey_and_says_how_many(setting):
    organisation, survey, browser = setting
    day = today() - timedelta(days=3)
    content = f"score,answered_on,comment,expectation,perception,invoice\n5,{day},Fine,6,5,4\n2,,Slow,6,2,\n7,,,,,\n"
    response = upload(browser, survey, content.encode(), day=day, follow=True)
    assert response.status_code == 200
    assert "3 answers stored in “After delivery”" in page_text(response)
    assert stored(survey) == 3
    answers = db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.score)).all()
    assert {a.answered_on for a in answers} == {day} and [a.score for a in answers] == [2, 5, 7]
    # The KPI's reading of the period follows from them: the mean of 2, 5 and 7.
    reading = db.session.scalar(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id))
    assert (reading.value, reading.respondents) == (Decimal("4.67"), 3)
    # The page counts them at once.
    assert re.search(r'data-live="overall_n">3<', browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True))


def test_one_answer_is_said_in_the_singular_and_in_dutch(setting):
    organisation, survey, browser = setting
    browser.user.locale = "nl"
    db.session.commit()
    response = upload(browser, survey, b"score\n6\n", follow=True)
    assert "1 antwoord" in page_text(response) and stored(survey) == 1


def test_a_bad_file_names_every_refused_line_beside_the_field_and_stores_nothing(setting):
    organisation, survey, browser = setting
    content = b"score,answered_on,delivery\n9,2026-02-30,3\n4,2026-02-01,8\n5,,\n"
    response = upload(browser, survey, content)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    error = re.search(r'<div class="invalid-feedback d-block" id="answers-error" role="alert">(.*?)</div>', html,
                      re.S).group(1)
    lines = re.findall(r"<li>(.*?)</li>", error)
    assert lines == ["Line 2: the score “9” is not a whole number from 1 to 7 (CES).",
                     "Line 2: answered_on “2026-02-30” is not a date like 2026-03-31.",
                     "Line 3: delivery “8” is not a whole number from 1 to 7."]
    assert 'aria-describedby="answers-help answers-error"' in html and 'aria-invalid="true"' in html
    assert stored() == 0
    for content, said in ((b"", "The file is empty."), (b"comment\nfine\n", "names no “score” column"),
                          ("score\n5\n".encode("utf-16"), "not UTF-8 text"), (b"score\n", "holds no answers")):
        refused = upload(browser, survey, content)
        assert refused.status_code == 422 and said in page_text(refused), said
    missing = browser.post(f"/o/acme/surveys/{survey.id}/answers", data={"taken_on": today().isoformat()},
                           content_type="multipart/form-data")
    assert missing.status_code == 422 and "Choose a CSV file." in page_text(missing)
    assert stored() == 0


def test_a_file_past_the_limit_is_refused_at_the_first_line_past_it(setting, monkeypatch):
    from cxroadmap import uploads

    organisation, survey, browser = setting
    monkeypatch.setattr(uploads, "ANSWER_ROWS", 3)
    refused = upload(browser, survey, b"score\n1\n2\n3\n4\n")
    assert refused.status_code == 422 and "At most 3 answers in one file." in page_text(refused)
    assert stored() == 0


def test_another_organisations_survey_is_not_there(setting):
    _organisation, _survey, browser = setting
    theirs, _delivery, _invoice = journey("other")
    elsewhere = live_survey(theirs, title="Theirs")
    assert upload(browser, elsewhere, b"score\n5\n").status_code == 404
    assert stored() == 0


def test_a_large_file_is_checked_at_once_then_stored_in_the_background(app, setting, monkeypatch):
    organisation, survey, browser = setting
    monkeypatch.setitem(app.config, "BACKGROUND_IMPORT_BYTES", 100)
    # Its refused lines come back beside the field while the person waits, and no job is started.
    bad = ("score\n" + "5\n" * 60 + "9\n").encode()
    refused = upload(browser, survey, bad)
    assert refused.status_code == 422 and "Line 62: the score “9”" in page_text(refused)
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    good = ("score,comment\n" + "".join(f"{index % 7 + 1},note {index}\n" for index in range(70))).encode()
    started = upload(browser, survey, good)
    assert started.status_code == 302 and "/o/acme/jobs/" in started.headers["Location"]
    wait_for_jobs(app)
    page = browser.get(started.headers["Location"])
    assert "70 answers stored in “After delivery”" in page_text(page)
    assert f'href="/o/acme/surveys/{survey.id}"' in page.get_data(as_text=True)
    db.session.expire_all()
    assert stored(survey) == 70
    job = db.session.scalar(select(Job))
    assert (job.kind, job.state) == ("survey_answers", "done")
