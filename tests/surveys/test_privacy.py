"""Privacy of answers: retention by the background work, and one person's answers found, exported and erased,
each act in the audit trail; all within the organisation."""

import json
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select

from cxroadmap.areas import TimedWork, contributions
from cxroadmap.audit.models import AuditEvent
from cxroadmap.extensions import db
from cxroadmap.surveys.answering import Given, record_answer
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.surveys.privacy import kept_from, set_retention
from tests.surveys.helpers import journey, live_survey


def _give(survey, when, email=None, comment=""):
    given = Given(score=9, comment=comment, consent=email is not None, contact=email or "")
    return record_answer(survey, given, "en", {}, now=when)


def _answers():
    return list(db.session.scalars(select(SurveyAnswer).order_by(SurveyAnswer.id)))


def test_kept_from_counts_months_back():
    assert kept_from(24, date(2026, 12, 6)) == date(2024, 12, 6)
    assert kept_from(1, date(2026, 3, 31)) == date(2026, 2, 28)
    assert kept_from(12, date(2026, 1, 15)) == date(2025, 1, 15)


def test_the_timed_work_deletes_answers_past_the_retention_period(app):
    organisation, _touchpoint, _other = journey()
    theirs, _t, _o = journey("other")
    now = datetime(2026, 12, 6, 12, tzinfo=UTC)
    survey, elsewhere = live_survey(organisation), live_survey(theirs)
    for days in (800, 400, 10):
        _give(survey, now - timedelta(days=days))
        _give(elsewhere, now - timedelta(days=days))
    set_retention(organisation, 12)
    db.session.commit()
    work = next(w for w in contributions(TimedWork, app) if w.name == "survey-retention")
    assert work.due(now) == 3  # two here (12 months), one there (the default 24)
    assert work.run(now) == 3
    assert work.run(now) == 0
    kept = [(a.organisation_id, (now.date() - a.answered_on).days) for a in _answers()]
    assert sorted(kept) == sorted([(organisation.id, 10), (theirs.id, 400), (theirs.id, 10)])
    events = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "answers_expired")).all()
    assert sorted(e.changes["deleted"] for e in events) == [1, 2]


def test_an_administrator_finds_exports_and_erases_a_persons_answers(client_as):
    organisation, _touchpoint, _other = journey()
    theirs, _t, _o = journey("other")
    survey, elsewhere = live_survey(organisation), live_survey(theirs)
    now = datetime.now(UTC)
    _give(survey, now, "Eva@Example.com", comment="Call me")
    _give(survey, now, "someone@example.com")
    _give(survey, now)
    _give(elsewhere, now, "eva@example.com")
    db.session.commit()
    browser = client_as("admin", organisation)
    page = browser.get("/o/acme/surveys/privacy").get_data(as_text=True)
    assert "24 months" in page or 'value="24"' in page
    found = browser.post("/o/acme/surveys/privacy/person", data={"email": "eva@example.com", "action": "find"})
    assert "Answers found: 1" in found.get_data(as_text=True) and "Call me" in found.get_data(as_text=True)
    exported = browser.post("/o/acme/surveys/privacy/person", data={"email": "eva@example.com", "action": "export"})
    document = json.loads(exported.data)
    assert "attachment" in exported.headers["Content-Disposition"]
    assert [a["comment"] for a in document["answers"]] == ["Call me"]
    erased = browser.post("/o/acme/surveys/privacy/person", data={"email": "eva@example.com", "action": "erase"})
    assert erased.status_code == 302
    left = [(a.organisation_id, a.contact_email) for a in _answers()]
    assert sorted(left, key=str) == sorted([(organisation.id, "someone@example.com"), (organisation.id, None),
                                            (theirs.id, "eva@example.com")], key=str)
    actions = [e.action for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.organisation_id == organisation.id, AuditEvent.object_type == "Survey answers")
        .order_by(AuditEvent.id))]
    assert actions == ["answers_looked_up", "answers_exported", "answers_erased"]
    labels = {e.object_label for e in db.session.scalars(select(AuditEvent).where(
        AuditEvent.object_type == "Survey answers"))}
    assert labels == {"e***@example.com"}  # the trail does not keep the address it was asked about


def test_retention_is_set_by_the_administrator_and_checked(client_as):
    organisation, _touchpoint, _other = journey()
    browser = client_as("admin", organisation)
    assert browser.post("/o/acme/surveys/privacy", data={"retention_months": "0"}).status_code == 422
    assert browser.post("/o/acme/surveys/privacy", data={"retention_months": "6"}).status_code == 302
    assert 'value="6"' in browser.get("/o/acme/surveys/privacy").get_data(as_text=True)
    steering = client_as("steering", organisation)
    assert steering.get("/o/acme/surveys/privacy").status_code == 403
