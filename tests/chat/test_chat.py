"""Slack and Teams channels: events posted to a real HTTP receiver on loopback, in the organisation's language,
with typed text escaped for each medium; test messages, retries, refused addresses."""

from datetime import timedelta

import pytest

from cxroadmap.chat import channels
from cxroadmap.chat.messages import Message, slack_payload, teams_payload
from cxroadmap.chat.models import ChatMessage
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow
from tests.factories import InitiativeFactory, OrganisationFactory

HOSTILE = "<!channel> *bold* <http://x|y> & co"


def texts(card: dict) -> list[str]:
    """Every piece of text an Adaptive Card shows, with the element type that carries it."""
    found = []
    for element in card["body"]:
        if element["type"] == "TextBlock":
            found.append(("TextBlock", element["text"]))
        else:
            found.extend(("TextRun", inline["text"]) for inline in element["inlines"])
    return found


def test_slack_text_escapes_mentions_links_and_ampersands():
    payload = slack_payload(Message("Heading", HOSTILE, "", "Org <b>", "https://cx.example.com/o/a?x=1&y=2", "Open"))
    section = payload["blocks"][1]["text"]
    assert section["type"] == "mrkdwn" and section["verbatim"] is True
    assert section["text"] == ("*<https://cx.example.com/o/a?x=1&amp;y=2|&lt;!channel&gt; *bold* "
                               "&lt;http://x|y&gt; &amp; co>*")
    assert payload["blocks"][-1]["elements"][0]["text"] == "Org &lt;b&gt;"
    assert "<!channel>" not in payload["text"] and "&lt;!channel&gt;" in payload["text"]


def test_teams_text_is_never_read_as_markdown():
    payload = teams_payload(Message("Heading", HOSTILE, "**detail**", "Org", "https://cx.example.com/x", "Open"))
    [attachment] = payload["attachments"]
    assert payload["type"] == "message" and attachment["contentType"] == "application/vnd.microsoft.card.adaptive"
    card = attachment["content"]
    assert card["type"] == "AdaptiveCard" and card["version"] == "1.4"
    assert texts(card) == [("TextBlock", "Heading"), ("TextRun", HOSTILE), ("TextRun", "**detail**"),
                           ("TextRun", "Org")]
    assert card["actions"] == [{"type": "Action.OpenUrl", "title": "Open", "url": "https://cx.example.com/x"}]


@pytest.fixture
def organisation():
    return OrganisationFactory(slug="acme", name="Acme & <Sons>", locale="nl")


def add(organisation, receiver, kind, events=("initiative.health_changed",)):
    channel = channels.add_channel(organisation, kind, f"#{kind}", receiver.url.replace("/hooks/", f"/{kind}/"),
                                   list(events), allow_private=True)
    db.session.commit()
    return channel


def test_an_event_reaches_slack_and_teams_in_the_organisations_language(app, organisation, receiver):
    add(organisation, receiver, "slack")
    add(organisation, receiver, "teams")
    add(organisation, receiver, "slack", events=("report.issued",))  # wants something else
    initiative = InitiativeFactory(organisation=organisation, ref="INIT-7", title=HOSTILE, health="green")
    initiative.health = "red"
    db.session.commit()
    assert channels.deliver(utcnow()) == 2
    by_path = {r["path"]: r for r in receiver.requests}
    assert set(by_path) == {"/slack/cxroadmap", "/teams/cxroadmap"}
    assert by_path["/slack/cxroadmap"]["headers"]["Content-Type"].startswith("application/json")

    slack = by_path["/slack/cxroadmap"]["body"]
    header, subject, detail, context = slack["blocks"]
    assert header["text"]["text"] == "De gezondheid van een initiatief is veranderd"
    assert subject["text"]["text"].startswith("*<http")
    assert subject["text"]["text"].endswith("/o/acme/initiatives/INIT-7|INIT-7 &lt;!channel&gt; *bold* "
                                            "&lt;http://x|y&gt; &amp; co>*")
    assert "<!channel>" not in by_path["/slack/cxroadmap"]["raw"]
    assert detail["text"]["text"] == "Van Groen naar Rood."
    assert context["elements"][0]["text"] == "Acme &amp; &lt;Sons&gt;"

    card = by_path["/teams/cxroadmap"]["body"]["attachments"][0]["content"]
    assert texts(card) == [("TextBlock", "De gezondheid van een initiatief is veranderd"),
                           ("TextRun", f"INIT-7 {HOSTILE}"), ("TextRun", "Van Groen naar Rood."),
                           ("TextRun", "Acme & <Sons>")]
    assert card["actions"][0]["url"].endswith("/o/acme/initiatives/INIT-7")
    assert card["actions"][0]["title"] == "Open"
    assert channels.deliver(utcnow()) == 0  # each goes once


def test_the_test_button_posts_a_test_message(client, organisation, receiver):
    channel = add(organisation, receiver, "teams")
    response = client.post(f"/o/acme/chat/{channel.id}/test")
    assert response.status_code == 302
    assert channels.deliver(utcnow()) == 1
    card = receiver.requests[0]["body"]["attachments"][0]["content"]
    assert texts(card)[0] == ("TextBlock", "Testbericht van cxroadmap")
    page = client.get("/o/acme/chat").get_data(as_text=True)
    assert "#teams" in page and receiver.url not in page  # the address, a credential, is shown shortened


def test_a_failed_post_is_tried_again_later(organisation, receiver):
    channel = add(organisation, receiver, "slack")
    channels.queue_test(organisation, channel)
    db.session.commit()
    receiver.statuses = [500]
    now = utcnow()
    assert channels.deliver(now) == 1
    message = db.session.scalar(db.select(ChatMessage))
    assert message.delivered_at is None and message.last_error == "HTTP 500"
    assert channels.deliver(now + timedelta(seconds=5)) == 0  # not before its backoff
    assert channels.deliver(now + timedelta(minutes=2)) == 1
    db.session.refresh(message)
    assert message.delivered_at is not None and len(receiver.requests) == 2


def test_private_addresses_and_retired_connectors_are_refused(organisation):
    with pytest.raises(DomainError) as refused:
        channels.add_channel(organisation, "slack", "#x", "https://127.0.0.1/hook", ["report.issued"],
                             allow_private=False, resolver=lambda host, port: ["127.0.0.1"])
    assert "url" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        channels.add_channel(organisation, "teams", "#x", "https://acme.webhook.office.com/webhookb2/abc",
                             ["report.issued"], allow_private=False, resolver=lambda host, port: ["52.1.2.3"])
    assert "Office 365" in refused.value.errors["url"]
    with pytest.raises(DomainError) as refused:
        channels.add_channel(organisation, "slack", "#x", "http://hooks.example.com/x", ["report.issued"],
                             allow_private=False, resolver=lambda host, port: ["93.184.216.34"])
    assert "https" in refused.value.errors["url"]


def test_the_page_adds_a_channel_and_keeps_what_was_typed_when_refused(client, organisation, receiver):
    refused = client.post("/o/acme/chat", data={"kind": "slack", "name": "#cx", "url": "",
                                                "events": ["report.issued"]})
    assert refused.status_code == 422 and 'value="#cx"' in refused.get_data(as_text=True)
    added = client.post("/o/acme/chat", data={"kind": "slack", "name": "#cx", "url": receiver.url,
                                              "events": ["report.issued"]})
    assert added.status_code == 302
    assert [c.name for c in channels.channels(organisation)] == ["#cx"]


def test_the_scheduler_work_posts_them_and_the_dry_run_counts_them(runner, organisation, receiver):
    channel = add(organisation, receiver, "slack")
    channels.queue_test(organisation, channel)
    db.session.commit()
    dry = runner.invoke(args=["notify", "--dry-run"])
    assert dry.exit_code == 0 and "would post test to slack channel #slack" in dry.output
    assert receiver.requests == []
    done = runner.invoke(args=["notify"])
    assert done.exit_code == 0 and "Made 1 chat post." in done.output
    assert receiver.requests[0]["body"]["blocks"][0]["text"]["text"] == "Testbericht van cxroadmap"


def test_the_address_stays_out_of_the_audit_trail(client, organisation, receiver):
    from cxroadmap.audit.models import AuditEvent

    client.post("/o/acme/chat", data={"kind": "slack", "name": "#cx", "url": receiver.url,
                                      "events": ["report.issued"]})
    trail = " ".join(str(event.changes) for event in db.session.scalars(db.select(AuditEvent)))
    assert "#cx" in trail and receiver.url not in trail
