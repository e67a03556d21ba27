"""Personal invitations by email: a contact list uploaded (refused lines named, nothing half-written), mails sent
by the background work through a real SMTP server, the personal link answering once, the reminder reaching only
those who have not answered, unsubscribe honoured across the organisation's surveys, the quiet period, privacy."""

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.jobs.runner import wait_for_jobs
from cxroadmap.mail import send_queued_mail
from cxroadmap.measures.models import KpiReading
from cxroadmap.surveys import tally
from cxroadmap.surveys.invitations.models import SurveyInvitation, SurveySuppression
from cxroadmap.surveys.invitations.sending import invitations_due, send_invitations
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.surveys.privacy import delete_expired, erase_person
from tests.mailtesting import body
from tests.surveys.helpers import journey, live_survey, shown

GOOD = ("email,name,language,order\n"
        "ann@example.com,Ann Smit,en,SO-1\n"
        "bram@example.com,Bram de Vries,nl,SO-2\n")


@pytest.fixture
def setting(client_as):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint, measure="ces", title="After delivery")
    browser = client_as("steering", organisation)
    return organisation, survey, browser


def upload(browser, survey, text, slug="acme"):
    return browser.post(f"/o/{slug}/surveys/{survey.id}/invitations",
                        data={"contacts": (io.BytesIO(text.encode()), "contacts.csv")},
                        content_type="multipart/form-data", follow_redirects=True)


def invitations(**where):
    query = select(SurveyInvitation).order_by(SurveyInvitation.id)
    for name, value in where.items():
        query = query.where(getattr(SurveyInvitation, name) == value)
    return list(db.session.scalars(query))


def send_all(now):
    """One round of the background work, then the queued mails out through the SMTP server."""
    queued = send_invitations(now)
    send_queued_mail(max(now, datetime.now(UTC)))  # the mails are queued at the real moment
    return queued


def link_of(message) -> str:
    text = body(message, "plain")
    return next(word for word in text.split() if "/i/" in word and "unsubscribe" not in word)


def path_of(url: str) -> str:
    return url.replace("https://cx.example.com", "")


def test_a_list_with_bad_rows_names_every_line_and_stores_nothing(setting):
    _organisation, survey, browser = setting
    text = ("email,name,language,order\n"
            "ann@example.com,Ann,en,SO-1\n"
            "not-an-address,Bob,en,SO-2\n"
            "carla@example.com,Carla,fr,SO-3\n"
            "ann@example.com,Ann again,en,SO-4\n")
    response = upload(browser, survey, text)
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "Line 3: “not-an-address” is not an email address" in page
    assert "Line 4: The language “fr” is neither en nor nl." in page
    assert "Line 5: ann@example.com is on line 2 already." in page
    assert "nothing is taken" in page
    assert invitations() == []
    assert upload(browser, survey, "name,language\nAnn,en\n").status_code == 422
    assert invitations() == []


def test_a_list_too_long_too_wide_or_not_text_is_refused_before_any_work_and_stores_nothing(setting):
    """Limits checked as the file streams in: one row past the contacts allowed, a field longer than any address,
    and bytes that are no text each get one clear line, and nothing is stored."""
    from cxroadmap.surveys.invitations.contacts import MAX_CONTACTS

    _organisation, survey, browser = setting
    rows = "".join(f"c{n}@example.com\n" for n in range(MAX_CONTACTS + 1))
    too_long = upload(browser, survey, "email\n" + rows)
    assert too_long.status_code == 422 and f"At most {MAX_CONTACTS:,} contacts in one file." in too_long.get_data(
        as_text=True)
    wide = upload(browser, survey, "email,order\nann@example.com," + "x" * 200_000 + "\n")
    assert wide.status_code == 422
    assert "Line 2 holds a field longer than 131,072 characters." in wide.get_data(as_text=True)
    binary = browser.post(f"/o/acme/surveys/{survey.id}/invitations",
                          data={"contacts": (io.BytesIO(b"\xff\xfe\x00\x01" * 5000), "contacts.csv")},
                          content_type="multipart/form-data")
    assert binary.status_code == 422
    assert "The file is not UTF-8 text (save the spreadsheet as CSV UTF-8)." in binary.get_data(as_text=True)
    assert invitations() == []


def test_invitations_go_out_in_batches_by_the_background_work_in_each_contacts_language(app, setting, smtp,
                                                                                        monkeypatch):
    organisation, survey, browser = setting
    organisation.name = "Acme <Parts> & Co"
    db.session.commit()
    response = upload(browser, survey, GOOD)
    assert response.status_code == 200
    assert "2 invitations queued" in response.get_data(as_text=True)
    assert smtp.messages == []  # nothing is sent inside the request
    now = datetime.now(UTC)
    monkeypatch.setitem(app.config, "SURVEY_INVITATION_BATCH", 1)
    assert invitations_due(now) == 2
    assert send_all(now) == 1 and send_all(now) == 1 and send_all(now) == 0
    [english] = smtp.to("ann@example.com")
    [dutch] = smtp.to("bram@example.com")
    assert english["Subject"] == "Acme <Parts> & Co would like to hear from you"
    assert dutch["Subject"].startswith("Acme <Parts> & Co hoort graag")
    assert "Hello Ann Smit" in body(english, "plain") and "Beste Bram de Vries" in body(dutch, "plain")
    html = body(english, "html")
    assert "Acme &lt;Parts&gt; &amp; Co" in html and "Acme <Parts>" not in html
    assert english["List-Unsubscribe"].startswith(f"<https://cx.example.com/f/{survey.code}/i/")
    assert "/unsubscribe" in body(english, "plain")
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "Personal invitations by email" in page


def test_the_personal_link_answers_once_in_the_contacts_language_with_its_hidden_fields(app, setting, smtp):
    _organisation, survey, browser = setting
    upload(browser, survey, GOOD)
    send_all(datetime.now(UTC))
    path = path_of(link_of(smtp.to("bram@example.com")[0]))
    customer = app.test_client()
    page = customer.get(path)
    assert page.status_code == 200 and 'lang="nl"' in page.get_data(as_text=True)
    data = {"shown": shown(survey.code), "score": "6", "comment": "Snel geleverd"}
    assert customer.post(path, data=data).status_code == 303
    answer = db.session.scalars(select(SurveyAnswer)).one()
    assert (answer.score, answer.language, answer.hidden) == (6, "nl", {"order": "SO-2"})
    # Changed from the same link within a day: still one answer, the new one.
    assert customer.post(path, data={**data, "score": "3"}).status_code == 303
    wait_for_jobs(app)  # an unhappy answer opens a follow-up case, whose mail the background work sends
    db.session.expire_all()
    assert [a.score for a in db.session.scalars(select(SurveyAnswer))] == [3]
    # The pages' daily counts and the KPI's reading hold the changed answer alone: one answer, a detractor.
    assert tally.score_counts(survey.id) == {3: 1}
    assert db.session.scalars(select(KpiReading).where(KpiReading.kpi_id == survey.kpi_id)).one().respondents == 1
    [invitation] = invitations(email="bram@example.com")
    assert invitation.answer.score == 3
    invitation.answered_at = datetime.now(UTC) - timedelta(hours=25)
    db.session.commit()
    later = customer.post(path, data={**data, "score": "1"})
    assert "neemt geen ander antwoord meer aan" in later.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveyAnswer)) == 1
    assert customer.get(path.replace("/i/", "/i/x")).status_code == 404


def test_the_reminder_reaches_only_those_who_have_not_answered(app, setting, smtp):
    _organisation, survey, browser = setting
    upload(browser, survey, GOOD)
    now = datetime.now(UTC)
    send_all(now)
    path = path_of(link_of(smtp.to("ann@example.com")[0]))
    assert app.test_client().post(path, data={"shown": shown(survey.code), "score": "7"}).status_code == 303
    smtp.clear()
    assert send_all(now + timedelta(days=2)) == 0
    later = now + timedelta(days=3, minutes=1)
    assert invitations_due(later) == 1
    assert send_all(later) == 1
    assert smtp.to("ann@example.com") == []
    [reminder] = smtp.to("bram@example.com")
    assert reminder["Subject"].startswith("Herinnering")
    assert send_all(later + timedelta(days=5)) == 0
    page = browser.get(f"/o/acme/surveys/{survey.id}").get_data(as_text=True)
    assert "50 %" in page  # one of two answered


def test_unsubscribe_needs_no_account_asks_first_and_holds_for_every_survey_of_the_organisation(app, setting, smtp):
    organisation, survey, browser = setting
    upload(browser, survey, GOOD)
    send_all(datetime.now(UTC))
    message = smtp.to("ann@example.com")[0]
    unsubscribe = path_of(message["List-Unsubscribe"].strip("<>"))
    anonymous = app.test_client()
    asked = anonymous.get(unsubscribe)
    assert asked.status_code == 200 and "Unsubscribe from surveys" in asked.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(SurveySuppression)) == 0  # a look changes nothing
    done = anonymous.post(unsubscribe, data={"List-Unsubscribe": "One-Click"})
    assert "You are unsubscribed" in done.get_data(as_text=True)
    assert [s.email for s in db.session.scalars(select(SurveySuppression))] == ["ann@example.com"]
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "address_unsubscribed")) == 1
    smtp.clear()
    other = live_survey(organisation, title="Relationship")
    later = datetime.now(UTC) + timedelta(days=40)
    db.session.execute(SurveyInvitation.__table__.update().values(sent_at=later - timedelta(days=35)))
    db.session.commit()
    response = upload(browser, other, GOOD)
    assert "1 unsubscribed." in response.get_data(as_text=True)
    send_all(later)
    assert smtp.to("ann@example.com") == [] and len(smtp.to("bram@example.com")) == 1
    # The list is the organisation's own: another organisation still asks Ann.
    theirs, _t, _o = journey("other")
    elsewhere = live_survey(theirs)
    db.session.add(SurveyInvitation(organisation_id=theirs.id, survey_id=elsewhere.id, token="t" * 30,
                                    email="ann@example.com", state="queued"))
    db.session.commit()
    send_all(later)
    assert len(smtp.to("ann@example.com")) == 1
    # Managers see the list and take an address off it.
    listed = browser.get("/o/acme/surveys/suppressions").get_data(as_text=True)
    assert "ann@example.com" in listed
    entry = db.session.scalars(select(SurveySuppression)).one()
    assert browser.post(f"/o/acme/surveys/suppressions/{entry.id}/remove").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(SurveySuppression)) == 0


def test_nobody_is_invited_twice_within_the_quiet_period(setting, smtp):
    organisation, survey, browser = setting
    upload(browser, survey, GOOD)
    send_all(datetime.now(UTC))
    other = live_survey(organisation, title="Relationship")
    response = upload(browser, other, GOOD + "carla@example.com,Carla,en,SO-3\n")
    assert "2 not invited: asked within the last 30 days." in response.get_data(as_text=True)
    page = browser.get(f"/o/acme/surveys/{other.id}").get_data(as_text=True)
    assert "2 not invited: asked within the last 30 days." in page
    assert [i.state for i in invitations(survey_id=other.id)] == ["quiet", "quiet", "queued"]


def test_erasure_takes_the_invitations_and_keeps_the_wish_and_retention_purges_old_ones(app, setting, smtp):
    organisation, survey, browser = setting
    upload(browser, survey, GOOD)
    db.session.add(SurveySuppression(organisation_id=organisation.id, email="ann@example.com"))
    db.session.commit()
    erase_person(organisation, "Ann@Example.com")
    db.session.commit()
    assert [i.email for i in invitations()] == ["bram@example.com"]
    assert db.session.scalar(select(func.count()).select_from(SurveySuppression)) == 1
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answers_erased")).one()
    assert event.changes["invitations"] == 1
    assert delete_expired(datetime.now(UTC) + timedelta(days=25 * 31)) == 1
    assert invitations() == []


def test_the_quiet_period_is_set_beside_the_retention_period(client_as):
    organisation, _t, _o = journey()
    admin = client_as("admin", organisation)
    response = admin.post("/o/acme/surveys/privacy", data={"retention_months": "24", "quiet_days": "-1"})
    assert response.status_code == 422
    assert admin.post("/o/acme/surveys/privacy", data={"retention_months": "24", "quiet_days": "10"}).status_code == 302
    from cxroadmap.surveys.invitations.services import quiet_days
    assert quiet_days(organisation.id) == 10
