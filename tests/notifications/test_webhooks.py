"""Webhooks against a real loopback HTTP receiver: events recorded by requests, signed deliveries, retries,
disabling after a day of failures, and no way to private addresses unless allowed."""

import json
from datetime import timedelta

import pytest

from cxroadmap.extensions import db
from cxroadmap.notifications import webhooks
from cxroadmap.notifications.models import WebhookDelivery, WebhookEndpoint
from cxroadmap.notifications.posting import backoff, forbidden_address, vetted_address
from cxroadmap.notifications.webhooks import signature
from cxroadmap.timeutil import today, utcnow
from tests.factories import ActionFactory, InitiativeFactory, OrganisationFactory
from tests.helpers import page_text

ALL = ["initiative.status_changed", "initiative.health_changed", "action.overdue", "report.issued"]


def register(client, url, events=ALL, slug="acme"):
    response = client.post(f"/o/{slug}/notifications", data={"hook-url": url, "hook-events": events})
    return response


def endpoint_of(receiver, organisation, events=ALL) -> WebhookEndpoint:
    endpoint = webhooks.register_endpoint(organisation, receiver.url, events, allow_private=True)
    db.session.commit()
    receiver.secret = endpoint.secret
    return endpoint


def notify(runner):
    result = runner.invoke(args=["notify"])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_status_change_is_recorded_by_the_request_and_delivered_signed_by_notify(client, runner, receiver):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    response = register(client, receiver.url)
    assert response.status_code == 302
    endpoint = db.session.scalar(db.select(WebhookEndpoint))
    receiver.secret = endpoint.secret
    assert endpoint.secret in client.get(response.headers["Location"]).get_data(as_text=True)
    InitiativeFactory(organisation=organisation, ref="INIT-1", status="in_progress", health="green")
    update = {"status": "on_hold", "health": "red", "progress": "40", "note": "Supplier stopped."}
    assert client.post("/o/acme/initiatives/INIT-1/updates", data=update).status_code == 302
    assert receiver.requests == []  # the request only recorded the events
    assert db.session.scalar(db.select(db.func.count()).select_from(WebhookDelivery)) == 2
    notify(runner)
    assert [r["body"]["event"] for r in receiver.requests] == ["initiative.status_changed",
                                                                 "initiative.health_changed"]
    assert all(r["signature_ok"] for r in receiver.requests)
    status = receiver.requests[0]["body"]
    assert status["data"]["from"] == "in_progress" and status["data"]["to"] == "on_hold"
    assert status["data"]["initiative"]["ref"] == "INIT-1" and status["organisation"]["slug"] == "acme"
    assert status["id"] and status["occurred_at"]
    assert receiver.requests[0]["headers"]["X-Cxroadmap-Delivery"] == status["id"]
    notify(runner)
    assert len(receiver.requests) == 2  # delivered once


def test_only_the_events_chosen_and_only_the_organisations_own(runner, receiver):
    acme = OrganisationFactory(slug="acme")
    other = OrganisationFactory(slug="other")
    endpoint_of(receiver, acme, ["initiative.health_changed"])
    mine = InitiativeFactory(organisation=acme, ref="INIT-1")
    theirs = InitiativeFactory(organisation=other, ref="INIT-1")
    mine.status, theirs.health = "done", "red"
    db.session.commit()
    notify(runner)
    assert receiver.requests == []
    mine.health = "amber"
    db.session.commit()
    notify(runner)
    assert [r["body"]["data"]["to"] for r in receiver.requests] == ["amber"]


def test_issuing_a_report_and_an_overdue_action_are_events(client, runner, receiver):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation, ["report.issued", "action.overdue"])
    ActionFactory(organisation_id=organisation.id, title="Call the carrier", due_on=today() - timedelta(days=1))
    ActionFactory(organisation_id=organisation.id, title="Not yet", due_on=today() + timedelta(days=1))
    assert client.post("/o/acme/reports/issue", data={"kind": "summary"}).status_code == 302
    notify(runner)
    events = {r["body"]["event"]: r["body"]["data"] for r in receiver.requests}
    assert set(events) == {"report.issued", "action.overdue"}
    assert events["action.overdue"]["action"]["title"] == "Call the carrier"
    assert events["report.issued"]["report"]["kind"] == "summary"
    assert all(r["signature_ok"] for r in receiver.requests)
    notify(runner)
    assert len(receiver.requests) == 2  # the overdue action is raised once


def test_a_receiver_that_fails_is_retried_with_backoff_then_disabled_and_admins_told(app, receiver, smtp, admin_user):
    organisation = OrganisationFactory(slug="acme", name="Acme")
    endpoint = endpoint_of(receiver, organisation)
    initiative = InitiativeFactory(organisation=organisation)
    initiative.health = "red"
    db.session.commit()
    start = utcnow()
    receiver.statuses = [500] * 50
    moments, now = [], start
    for _ in range(100):
        due = webhooks.due_deliveries(now)
        if due:
            result = webhooks.attempt(due[0], now, allow_private=True)
            db.session.commit()
            moments.append(now)
            if result.disabled is not None:
                from cxroadmap.mail import outbox
                from cxroadmap.notifications.notify import _tell_admins
                with outbox() as box:
                    _tell_admins(result.disabled, lambda line: None, box)
                break
        now += timedelta(minutes=20)
    delivery = db.session.scalar(db.select(WebhookDelivery))
    gaps = [b - a for a, b in zip(moments, moments[1:], strict=False)]
    assert gaps[0] >= timedelta(minutes=1) and gaps[-1] >= timedelta(hours=2)  # waits grow
    assert moments[-1] - start >= timedelta(hours=24)
    assert delivery.attempts == len(moments) == len(receiver.requests)
    assert delivery.last_status == 500 and delivery.delivered_at is None
    db.session.expire_all()
    assert not db.session.get(WebhookEndpoint, endpoint.id).active
    [told] = smtp.to("ada@example.com")
    assert "turned off" in told["Subject"] and receiver.url in told.get_body(("plain",)).get_content()
    assert webhooks.due_deliveries(now + timedelta(days=1)) == []


def test_a_success_after_failures_delivers_and_the_page_shows_status_and_time(client, receiver):
    organisation = OrganisationFactory(slug="acme")
    endpoint = endpoint_of(receiver, organisation)
    initiative = InitiativeFactory(organisation=organisation)
    initiative.status = "done"
    db.session.commit()
    receiver.statuses = [503]
    now = utcnow()
    first = webhooks.attempt(webhooks.due_deliveries(now)[0], now, allow_private=True)
    assert not first.ok and first.status == 503
    assert webhooks.due_deliveries(now + timedelta(seconds=30)) == []
    later = now + backoff(1)
    second = webhooks.attempt(webhooks.due_deliveries(later)[0], later, allow_private=True)
    db.session.commit()
    assert second.ok and db.session.get(WebhookEndpoint, endpoint.id).failing_since is None
    page = page_text(client.get(f"/o/acme/notifications/webhooks/{endpoint.id}"))
    assert "initiative.status_changed" in page and "200" in page and " ms" in page


@pytest.mark.parametrize("url", [
    "http://127.0.0.1:5141/hook", "http://localhost/hook", "http://10.1.2.3/", "http://192.168.1.10/",
    "http://172.16.0.1/", "http://169.254.169.254/latest/meta-data/", "http://[::1]/", "http://[fd00:ec2::254]/",
    "http://0.0.0.0/", "http://100.100.100.200/", "http://[::ffff:127.0.0.1]/",
    # 6to4 (2002::/16) and Teredo (2001::/32) carry an IPv4 address a relay forwards to.
    "http://[2002:7f00:1::]/", "http://[2002:a00:1::1]/", "http://[2002:a9fe:a9fe::]/", "http://[2002:c0a8:10a::]/",
    "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",
])
def test_private_addresses_are_refused(client, url):
    OrganisationFactory(slug="acme")
    response = register(client, url)
    assert response.status_code == 422
    assert "may not go there" in page_text(response)
    assert db.session.scalar(db.select(db.func.count()).select_from(WebhookEndpoint)) == 0


@pytest.mark.parametrize("url, message", [("ftp://example.com/", "http:// or https://"),
                                          ("http://user:pw@example.com/", "Leave user names"),
                                          ("not a url", "http:// or https://")])
def test_other_bad_addresses_are_refused_beside_the_field(client, url, message):
    OrganisationFactory(slug="acme")
    response = register(client, url)
    assert response.status_code == 422 and message in page_text(response)


def test_a_name_that_resolves_to_a_private_address_is_refused_at_delivery_too(app, receiver, monkeypatch):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation)
    initiative = InitiativeFactory(organisation=organisation)
    initiative.health = "amber"
    db.session.commit()
    now = utcnow()
    result = webhooks.attempt(webhooks.due_deliveries(now)[0], now, allow_private=False)
    assert not result.ok and "may not go there" in result.error
    assert receiver.requests == []


def test_a_name_that_resolves_to_6to4_around_loopback_is_refused_at_delivery(app, receiver):
    organisation = OrganisationFactory(slug="acme")
    endpoint_of(receiver, organisation)
    initiative = InitiativeFactory(organisation=organisation)
    initiative.health = "amber"
    db.session.commit()
    now = utcnow()
    result = webhooks.attempt(webhooks.due_deliveries(now)[0], now, allow_private=False,
                              resolver=lambda host, port: ["2002:7f00:1::"])
    assert not result.ok and "2002:7f00:1::" in result.error and "may not go there" in result.error
    assert receiver.requests == []


def test_addresses_that_carry_an_ipv4_address_are_judged_by_it():
    assert forbidden_address("2002:7f00:1::") and forbidden_address("2002:a9fe:a9fe::1")  # 127.0.0.1, metadata
    assert forbidden_address("2001:0:7f00:1::1")  # a Teredo server on loopback
    assert not forbidden_address("2002:5db8:d822::1")  # 6to4 around 93.184.216.34, a public address
    assert not forbidden_address("::ffff:93.184.216.34")


def test_addresses_and_signatures_by_hand():
    assert forbidden_address("127.0.0.1") and forbidden_address("169.254.169.254") and forbidden_address("::1")
    assert forbidden_address("10.0.0.1") and forbidden_address("fe80::1") and forbidden_address("224.0.0.1")
    assert not forbidden_address("93.184.216.34") and not forbidden_address("2606:2800:220:1::1")
    assert vetted_address("https://hooks.example.com/x", False, resolver=lambda h, p: ["93.184.216.34"]) \
        == "93.184.216.34"
    with pytest.raises(Exception, match="may not go there"):
        vetted_address("https://hooks.example.com/x", False, resolver=lambda h, p: ["93.184.216.34", "10.0.0.9"])
    # HMAC-SHA256 of "1700000000.{}" with key "secret", worked out with `openssl dgst -sha256 -hmac secret`.
    assert signature("secret", "1700000000", "{}") == \
        "b8569b78799ff9e3cbff0fc2d63a33a2b57f3282abd07c37ae5e8e7d79a5f163"
    assert backoff(1) == timedelta(minutes=1) and backoff(99) == timedelta(hours=6)


def test_the_settings_page_lists_endpoints_with_nothing_of_another_organisation(client, client_as, receiver):
    acme = OrganisationFactory(slug="acme")
    other = OrganisationFactory(slug="other")
    endpoint_of(receiver, acme)
    page = page_text(client.get("/o/other/notifications"))
    assert receiver.url not in page and "No webhooks yet" in page
    endpoint = db.session.scalar(db.select(WebhookEndpoint))
    assert client.get(f"/o/other/notifications/webhooks/{endpoint.id}").status_code == 404
    assert client.post(f"/o/other/notifications/webhooks/{endpoint.id}/delete").status_code == 404
    assert json.dumps(endpoint.events)
    assert other.id != acme.id
