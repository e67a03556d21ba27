"""Webhook events of follow-up cases: case.opened when an answer opens one, case.resolved when it closes."""

from sqlalchemy import select

from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from tests.cases.conftest import send, unhappy
from tests.notifications.test_webhooks import endpoint_of, notify


def test_a_case_opened_and_resolved_are_two_events(client, runner, receiver, org, team, touchpoint):
    endpoint_of(receiver, org, ["case.opened", "case.resolved"])
    send(unhappy(org, touchpoint, score=4))
    send(unhappy(org, touchpoint, score=9))  # opens nothing
    notify(runner)
    [opened] = [r["body"] for r in receiver.requests]
    case = db.session.scalars(select(Case)).one()
    assert opened["event"] == "case.opened"
    assert opened["data"]["id"] == case.id and opened["data"]["score"] == 4 and opened["data"]["measure"] == "nps"
    assert opened["data"]["touchpoint"] == "on-site" and opened["data"]["team"] == "Transport Planning"
    assert opened["data"]["url"].endswith(f"/o/acme/cases/{case.id}")
    update = {"status": "contacted", "outcome": "", "root_cause": "", "initiative_ref": "", "notes": "",
              "seen_status": "new"}
    assert client.post(f"/o/acme/cases/{case.id}", data=update).status_code == 302
    update.update(status="resolved", outcome="Sorted.", root_cause="late-delivery", seen_status="contacted")
    assert client.post(f"/o/acme/cases/{case.id}", data=update).status_code == 302
    update.update(notes="A note after closing", seen_status="resolved")
    assert client.post(f"/o/acme/cases/{case.id}", data=update).status_code == 302
    notify(runner)
    events = [r["body"] for r in receiver.requests[1:]]
    assert [e["event"] for e in events] == ["case.resolved"]
    assert events[0]["data"]["status"] == "resolved" and events[0]["data"]["root_cause"] == "late-delivery"
    assert all(r["signature_ok"] for r in receiver.requests)
