"""Invitations triggered by another system: POST …/surveys/<id>/invitations answers 202 and the background work
sends the mail after the survey's delay, with the organisation's quiet period and suppression list; bad input is a
422 problem document, another organisation's survey a 404, and only the steering committee may invite."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from cxroadmap.extensions import db
from cxroadmap.mail import send_queued_mail
from cxroadmap.surveys.invitations.models import SurveyInvitation, SurveySuppression
from cxroadmap.surveys.invitations.sending import send_invitations
from cxroadmap.surveys.invitations.services import set_inviting
from cxroadmap.surveys.services import create_survey
from tests.mailtesting import body
from tests.surveys.helpers import journey, live_survey

CONTACT = {"email": "Erik@Example.com", "name": "Erik", "language": "nl", "hidden": {"order": "SO-77"}}


def _count() -> int:
    return db.session.scalar(select(func.count()).select_from(SurveyInvitation))


def _send(now):
    sent = send_invitations(now)
    send_queued_mail(max(now, datetime.now(UTC)))
    return sent


def test_an_invitation_is_accepted_and_sent_after_the_surveys_delay(app, api_token, smtp):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    set_inviting(survey, reminder_days=3, delay_minutes=120)
    db.session.commit()
    headers, _user = api_token(organisation, role="steering")
    client = app.test_client()
    before = datetime.now(UTC)
    response = client.post(f"/api/v1/o/acme/surveys/{survey.id}/invitations", json=CONTACT, headers=headers)
    assert response.status_code == 202
    accepted = response.get_json()
    assert (accepted["state"], accepted["will_be_sent"], accepted["reason"]) == ("queued", True, None)
    send_after = datetime.fromisoformat(accepted["send_after"])
    assert before + timedelta(minutes=119) < send_after < datetime.now(UTC) + timedelta(minutes=121)
    # Not before the delay …
    assert _send(datetime.now(UTC)) == 0
    assert smtp.to("erik@example.com") == []
    # … and at it, in the contact's language, the hidden fields kept for the answer.
    assert _send(send_after + timedelta(seconds=1)) == 1
    [message] = smtp.to("erik@example.com")
    assert message["Subject"] == "Acme B.V. hoort graag van u"
    assert f"/f/{survey.code}/i/" in body(message, "plain")
    assert db.session.scalars(select(SurveyInvitation)).one().hidden == {"order": "SO-77"}


def test_no_delay_quiet_period_and_suppression_are_said_in_the_202(app, api_token, smtp):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    set_inviting(survey, reminder_days=3, delay_minutes=0)
    db.session.add(SurveySuppression(organisation_id=organisation.id, email="gone@example.com"))
    db.session.commit()
    headers, _user = api_token(organisation, role="steering")
    client = app.test_client()
    url = f"/api/v1/o/acme/surveys/{survey.id}/invitations"
    first = client.post(url, json=CONTACT, headers=headers).get_json()
    assert first["will_be_sent"] is True
    assert _send(datetime.now(UTC)) == 1
    again = client.post(url, json=CONTACT, headers=headers)
    assert again.status_code == 202
    assert again.get_json()["state"] == "quiet" and again.get_json()["will_be_sent"] is False
    assert "30 days" in again.get_json()["reason"] and again.get_json()["send_after"] is None
    gone = client.post(url, json={"email": "gone@example.com"}, headers=headers).get_json()
    assert (gone["state"], gone["will_be_sent"]) == ("suppressed", False)
    assert _send(datetime.now(UTC) + timedelta(hours=1)) == 0
    assert len(smtp.to("erik@example.com")) == 1 and smtp.to("gone@example.com") == []


def test_bad_contacts_are_422_problems_and_nothing_is_saved(app, api_token):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    headers, _user = api_token(organisation, role="steering")
    client = app.test_client()
    url = f"/api/v1/o/acme/surveys/{survey.id}/invitations"
    for bad in ({"email": "not-an-address"}, {"email": "a@example.com", "language": "fr"},
                {"email": "a@example.com", "hidden": {"Bad Name": "x"}},
                {"email": "a@example.com", "hidden": {"order": "x" * 81}}, {"name": "No address"},
                {"email": "a@example.com", "extra": 1}):
        response = client.post(url, json=bad, headers=headers)
        assert response.status_code == 422, bad
        assert response.mimetype == "application/problem+json"
        assert response.get_json()["errors"], bad
    assert client.post(url, data="email=a@example.com", headers=headers).status_code == 415
    draft = create_survey(organisation, title="Draft", touchpoint=None, measure="nps", kpi=None, period="month",
                          asks_gap=False, rated=[], asks_contact=True, texts=None)
    db.session.commit()
    refused = client.post(f"/api/v1/o/acme/surveys/{draft.id}/invitations", json=CONTACT, headers=headers)
    assert refused.status_code == 409 and refused.mimetype == "application/problem+json"
    assert _count() == 0


def test_only_the_steering_committee_invites_and_only_in_its_own_organisation(app, api_token):
    organisation, touchpoint, _other = journey()
    survey = live_survey(organisation, touchpoint)
    theirs, _t, _o = journey("other")
    elsewhere = live_survey(theirs)
    client = app.test_client()
    url = f"/api/v1/o/acme/surveys/{survey.id}/invitations"
    for role, write, status in (("viewer", True, 403), ("contributor", True, 403), ("steering", False, 403),
                                ("steering", True, 202), ("admin", True, 202)):
        headers, _user = api_token(organisation, role=role, write=write)
        contact = {"email": f"{role}-{write}@example.com"}
        assert client.post(url, json=contact, headers=headers).status_code == status, (role, write)
    assert client.post(url, json=CONTACT).status_code == 401
    headers, _user = api_token(organisation, role="admin")
    crossing = client.post(f"/api/v1/o/acme/surveys/{elsewhere.id}/invitations", json=CONTACT, headers=headers)
    assert crossing.status_code == 404 and crossing.mimetype == "application/problem+json"
    assert client.post(f"/api/v1/o/other/surveys/{elsewhere.id}/invitations", json=CONTACT,
                       headers=headers).status_code == 404
    assert _count() == 2


def test_the_operation_is_in_the_served_openapi_document(app):
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    operation = document["paths"]["/api/v1/o/{slug}/surveys/{survey_id}/invitations"]["post"]
    assert {"202", "404", "409", "422"} <= set(operation["responses"])
    assert operation["requestBody"]["content"]["application/json"]["schema"]
