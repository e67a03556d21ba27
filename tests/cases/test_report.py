"""The roadmap report closes the loop too: the follow-up cases of the last 90 days, followed up in time or not, by
team, and the root causes named most, in the reader's language."""

from datetime import UTC, datetime, timedelta

from cxroadmap.cases import services
from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.i18n import in_language
from tests.cases.conftest import send, unhappy
from tests.reports.test_reports import render, text_of


def test_the_roadmap_report_says_how_many_unhappy_customers_were_followed_up_in_time(org, team, touchpoint):
    """Hand-worked: three cases opened now. One contacted at once (followed up in time), one resolved at once (in
    time, closed after 0.0 working days), one still new and not yet due (not judged): 3 cases, 2 judged, 2 in
    time (100%), 1 closed in a median of 0.0 working days; the root cause 'late-delivery' named once."""
    for score in (1, 2, 3):
        send(unhappy(org, touchpoint, score=score))
    first, second, _third = db.session.query(Case).order_by(Case.id).all()
    now = datetime.now(UTC)
    services.update_case(org, first, status="contacted", owner_id=None, outcome="", root_cause="late-delivery",
                         notes="", initiative_ref="", seen_status="new", now=now)
    services.update_case(org, second, status="resolved", owner_id=None, outcome="Route changed.", root_cause="",
                         notes="", initiative_ref="", seen_status="new", now=now + timedelta(seconds=1))
    db.session.commit()
    english = text_of(render(org, "roadmap"))
    assert "Closing the loop: unhappy customers followed up" in english
    assert ("Of the 3 follow-up cases opened in the last 90 days, 2 can be held to the service level: 2 of them "
            "were followed up in time (100%). Closed: 1, in a median of 0.0 working days.") in english
    assert "Transport Planning 3 2 / 2 (100%) 0.0" in english
    assert "Root causes, most frequent first: Late delivery (1)." in english
    with in_language("nl"):
        dutch = text_of(render(org, "roadmap"))
    assert "De cirkel rond: ontevreden klanten opgevolgd" in dutch and "in een mediaan van 0,0 werkdagen" in dutch


def test_without_cases_the_report_says_no_answer_met_the_alert_rule(org):
    assert "no answer met the alert rule" in text_of(render(org, "roadmap"))


def test_the_steering_pack_closes_the_loop_too(client, org, team, touchpoint):
    from tests.factories import MeetingFactory

    send(unhappy(org, touchpoint, score=2))
    meeting = MeetingFactory(organisation_id=org.id, title="December steering")
    db.session.commit()
    pack = text_of(client.get(f"/o/{org.slug}/meetings/{meeting.id}/pack.pdf").data)
    assert "Closing the loop: unhappy customers followed up" in pack
    assert "Of the 1 follow-up cases opened in the last 90 days, 0 can be held to the service level" in pack
