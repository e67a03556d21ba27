"""Webhook events of KPIs and assessment rounds: recorded on flush, delivered signed by `flask notify`."""

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy.exc import IntegrityError

from cxroadmap.assessments import services as assessment_services
from cxroadmap.assessments.results import round_results
from cxroadmap.extensions import db
from cxroadmap.measures.models import KpiReading
from cxroadmap.timeutil import today
from tests.factories import KpiFactory, KpiReadingFactory, OrganisationFactory, assessment_round
from tests.notifications.test_webhooks import endpoint_of, notify

KPI_EVENTS = ["kpi.reading_added", "kpi.off_track"]


def record(client, code, value, on=None, slug="acme"):
    data = {"taken_on": (on or today()).isoformat(), "value": value, "respondents": "", "note": ""}
    response = client.post(f"/o/{slug}/kpis/{code}/readings", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)


def test_a_reading_is_an_event_and_putting_the_kpi_off_track_is_another(client, runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    # NPS from 20 to 40 over 2026: late in the year the line expects about 39; below about 29.5 is off track.
    KpiFactory(organisation=organisation, code="NPS", name="Net promoter score")
    db.session.commit()
    endpoint_of(receiver, organisation, KPI_EVENTS)
    record(client, "NPS", "39.5", today() - timedelta(days=2))
    notify(runner)
    assert [r["body"]["event"] for r in receiver.requests] == ["kpi.reading_added"]
    added = receiver.requests[0]["body"]["data"]
    assert added["kpi"]["code"] == "NPS" and added["kpi"]["name"] == "Net promoter score"
    assert added["kpi"]["status"] == "on_track" and added["kpi"]["url"].endswith("/o/acme/kpis/NPS")
    assert added["reading"] == {"value": "39.5", "on": (today() - timedelta(days=2)).isoformat()}

    record(client, "NPS", "22")
    notify(runner)
    events = [r["body"] for r in receiver.requests[1:]]
    assert [e["event"] for e in events] == ["kpi.reading_added", "kpi.off_track"]
    assert events[0]["data"]["kpi"]["status"] == "off_track"
    assert events[1]["data"]["from"] == "on_track" and events[1]["data"]["to"] == "off_track"
    assert events[1]["data"]["reading"]["value"] == "22"
    assert all(r["signature_ok"] for r in receiver.requests)


def test_off_track_fires_only_on_the_transition(client, runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    kpi = KpiFactory(organisation=organisation, code="NPS")
    KpiReadingFactory(kpi=kpi, taken_on=today() - timedelta(days=10), value=Decimal("21"))  # off track already
    db.session.commit()
    endpoint_of(receiver, organisation, KPI_EVENTS)
    record(client, "NPS", "23", today() - timedelta(days=1))  # still off track: no transition
    record(client, "NPS", "20", today() - timedelta(days=30))  # an older reading: the latest is unchanged
    notify(runner)
    assert [r["body"]["event"] for r in receiver.requests] == ["kpi.reading_added", "kpi.reading_added"]
    record(client, "NPS", "39.5")  # back on track
    record(client, "NPS", "39.5", today() - timedelta(days=1))  # older than the latest: still on track
    notify(runner)
    assert "kpi.off_track" not in [r["body"]["event"] for r in receiver.requests]
    record(client, "NPS", "25")  # replacing today's reading puts it off track again
    notify(runner)
    assert [r["body"]["event"] for r in receiver.requests[-2:]] == ["kpi.reading_added", "kpi.off_track"]
    assert receiver.requests[-1]["body"]["data"]["from"] == "on_track"
    assert all(r["signature_ok"] for r in receiver.requests)


def test_another_organisations_readings_are_not_sent(client, runner, receiver):
    acme = OrganisationFactory(slug="acme")
    other = OrganisationFactory(slug="other")
    KpiReadingFactory(kpi=KpiFactory(organisation=other, code="NPS"), taken_on=today(), value=Decimal("21"))
    db.session.commit()
    endpoint_of(receiver, acme, KPI_EVENTS)
    notify(runner)
    assert receiver.requests == []


def test_confirming_an_assessment_round_is_an_event(runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    made, _ = assessment_round(organisation, raters=3, title="Autumn check",
                               opened_on=today() - timedelta(days=20), closes_on=today() - timedelta(days=6))
    answers = {"leadership": "mobilise", "brand_values": "explore", "engagement": "mobilise",
               "customer_insight": "operationalise", "know_customers": "3", "know_experience": "2",
               "know_roles": "dont_know", "experience": "intentional", "service": "reactive"}
    for rater in made.raters:
        assessment_services.save_answers(rater, answers, on=today() - timedelta(days=7))
    db.session.commit()
    endpoint_of(receiver, organisation, ["assessment.confirmed"])
    made.title = "Autumn check"  # an edit that is not a confirmation is no event
    db.session.commit()
    results = round_results(made)
    assessment_services.confirm(made, "mobilise", dict(results.suggested_scores), "", results.suggested_stage,
                                results.suggested_scores, results.answered, confirmed_by="sam@example.com")
    db.session.commit()
    notify(runner)
    assert [r["body"]["event"] for r in receiver.requests] == ["assessment.confirmed"]
    assert receiver.requests[0]["signature_ok"]
    confirmed = receiver.requests[0]["body"]["data"]["assessment"]
    assert confirmed["title"] == "Autumn check" and confirmed["stage"] == "mobilise"
    assert confirmed["url"].endswith(f"/o/acme/assessments/{made.id}")
    made.confirmed_by = "someone@example.com"  # changed after confirming: not confirmed again
    db.session.commit()
    notify(runner)
    assert len(receiver.requests) == 1


def test_the_settings_page_offers_the_new_events(client):
    OrganisationFactory(slug="acme")
    db.session.commit()
    page = client.get("/o/acme/notifications").get_data(as_text=True)
    for label in ("A KPI reading was recorded", "A KPI went off track after a reading",
                  "An assessment round was confirmed"):
        assert label in page


def test_a_reading_whose_flush_failed_and_was_rolled_back_is_no_event(runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    kpi = KpiFactory(organisation=organisation, code="NPS")
    KpiReadingFactory(kpi=kpi, taken_on=today(), value=Decimal("39.5"))
    db.session.commit()
    endpoint_of(receiver, organisation, KPI_EVENTS)
    db.session.add(KpiReading(kpi_id=kpi.id, taken_on=today(), value=Decimal("21")))  # the day has a reading
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    OrganisationFactory(slug="later")  # a later flush and commit must not carry the failed reading's events
    db.session.commit()
    notify(runner)
    assert receiver.requests == []
