"""What a chat message says, and how it is written for Slack (Block Kit, mrkdwn) and Microsoft Teams (an Adaptive
Card through a Workflows webhook): pure functions of plain values, so every escaping rule is tested alone."""

import json
from dataclasses import dataclass

SLACK = "slack"
TEAMS = "teams"
ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True)
class Message:
    """One message, in the organisation's language: `heading` and `detail` are the product's own words; `subject`
    and `organisation` are what people typed (names, titles), never read as markup by the chat."""

    heading: str
    subject: str
    detail: str
    organisation: str
    link: str | None = None
    link_label: str = ""


def slack_text(text: str) -> str:
    """Text for Slack's mrkdwn: &, < and > escaped, so no typed text becomes a mention (<!channel>) or a link."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def slack_payload(message: Message) -> dict:
    """A Block Kit message for a Slack incoming webhook; `text` is the notification's plain fallback."""
    subject = slack_text(message.subject)
    if message.link:
        subject = f"<{slack_text(message.link).replace('|', '%7C')}|{subject or slack_text(message.link_label)}>"
    blocks = [{"type": "header", "text": {"type": "plain_text", "text": message.heading[:150], "emoji": False}}]
    if subject:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": f"*{subject}*", "verbatim": True}})
    if message.detail:
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": slack_text(message.detail),
                                                    "verbatim": True}})
    blocks.append({"type": "context", "elements": [{"type": "mrkdwn", "text": slack_text(message.organisation),
                                                    "verbatim": True}]})
    fallback = " · ".join(part for part in (message.heading, message.subject) if part)
    return {"text": slack_text(fallback), "blocks": blocks, "unfurl_links": False, "unfurl_media": False}


def _plain(text: str, **style) -> dict:
    """Typed text as a card element: a TextRun, which Adaptive Cards never read as Markdown (a TextBlock would)."""
    return {"type": "RichTextBlock", "inlines": [{"type": "TextRun", "text": text, **style}]}


def teams_payload(message: Message) -> dict:
    """An Adaptive Card (1.4) in the envelope a Teams Workflows webhook ("post to a channel when a webhook request
    is received") takes; not the retired Office 365 connector's MessageCard."""
    body: list[dict] = [{"type": "TextBlock", "text": message.heading, "weight": "Bolder", "size": "Medium",
                         "wrap": True}]
    if message.subject:
        body.append(_plain(message.subject, weight="Bolder"))
    if message.detail:
        body.append(_plain(message.detail))
    body.append(_plain(message.organisation, isSubtle=True))
    card = {"$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard",
            "version": "1.4", "body": body}
    if message.link:
        card["actions"] = [{"type": "Action.OpenUrl", "title": message.link_label, "url": message.link}]
    return {"type": "message", "attachments": [{"contentType": ADAPTIVE_CARD, "contentUrl": None, "content": card}]}


def payload(kind: str, message: Message) -> str:
    """The JSON body posted to a channel of that kind."""
    made = slack_payload(message) if kind == SLACK else teams_payload(message)
    return json.dumps(made, ensure_ascii=False, separators=(",", ":"))
