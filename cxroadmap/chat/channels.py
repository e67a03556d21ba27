"""Chat channels of an organisation: adding them (never to private addresses, never to a retired connector),
the messages its events make, and posting them with retries, as webhooks are posted."""

from datetime import datetime
from urllib.parse import urlsplit

from sqlalchemy import select

from cxroadmap.chat.messages import SLACK, TEAMS, Message, payload
from cxroadmap.chat.models import ChatChannel, ChatMessage
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l, in_language, known
from cxroadmap.notifications import posting, webhooks
from cxroadmap.notifications.events import event_kinds, events
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.scheduler import work_log
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems

KINDS = (SLACK, TEAMS)
SHOWN_MESSAGES = 20
TEST_EVENT = "test"
# Office 365 connectors (Incoming Webhook) in Teams were retired by Microsoft; their addresses look like these.
RETIRED_TEAMS_HOSTS = (".webhook.office.com", "outlook.office.com", "outlook.office365.com")


# -- channels ------------------------------------------------------------------------------------------

def _check_url(kind: str, url: str, allow_private: bool, resolver) -> None:
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if kind == TEAMS and (host.endswith(RETIRED_TEAMS_HOSTS) or "/webhookb2/" in parts.path):
        raise DomainError({"url": _("This is an Office 365 connector address, which Microsoft retired. In Teams, "
                                    "add the workflow \"Post to a channel when a webhook request is received\" and "
                                    "give the address it shows.")})
    if parts.scheme != "https" and not allow_private:
        raise DomainError({"url": _("Give an https:// address.")})
    posting.vetted_address(url, allow_private, resolver)


def add_channel(organisation: Organisation, kind: str, name: str, url: str, wanted: list[str], allow_private: bool,
                resolver=posting.resolve) -> ChatChannel:
    """A new channel for the events chosen (flushes)."""
    name, url = (name or "").strip(), (url or "").strip()
    problems = Problems()
    problems.require(kind in KINDS, "kind", _("Choose Slack or Microsoft Teams."))
    problems.require(0 < len(name) <= 100, "name", _("Give a name of at most 100 characters."))
    problems.require(0 < len(url) <= 500, "url", _("Give an address of at most 500 characters."))
    chosen = webhooks.chosen_events(problems, wanted)
    problems.raise_if_any()
    _check_url(kind, url, allow_private, resolver)
    channel = ChatChannel(organisation_id=organisation.id, kind=kind, name=name, secret_url=url, events=chosen)
    db.session.add(channel)
    db.session.flush()
    return channel


def channels(organisation: Organisation) -> list[ChatChannel]:
    return list(db.session.scalars(ChatChannel.scoped_to(organisation).order_by(ChatChannel.id)))


def channel_in(organisation: Organisation, channel_id: int) -> ChatChannel:
    return get_in_organisation(organisation, ChatChannel, _("No such channel."), id=channel_id)


def shown_url(channel: ChatChannel) -> str:
    """The address shortened: it is the channel's only credential, so the page never shows it whole."""
    parts = urlsplit(channel.secret_url)
    return f"{parts.scheme}://{parts.netloc}/…{channel.secret_url[-4:]}"


def delete_channel(channel: ChatChannel) -> None:
    db.session.delete(channel)
    db.session.flush()


def recent_messages(channel: ChatChannel, limit: int = SHOWN_MESSAGES) -> list[ChatMessage]:
    return list(db.session.scalars(select(ChatMessage).where(ChatMessage.channel_id == channel.id)
                                   .order_by(ChatMessage.created_at.desc(), ChatMessage.id.desc()).limit(limit)))


# -- messages ------------------------------------------------------------------------------------------

def _language(organisation: Organisation) -> str:
    return known(organisation.locale) or "en"


def _subject(data: dict) -> tuple[dict, str]:
    """The thing an event is about (the initiative, the KPI …) and its name as people know it."""
    thing = next((value for value in data.values() if isinstance(value, dict) and "url" in value), data)
    named = [thing.get("ref") or thing.get("code"), thing.get("title") or thing.get("name")
             or thing.get("filename")]
    return thing, " ".join(str(part) for part in named if part)


def event_message(organisation: Organisation, name: str, data: dict) -> Message:
    """The message of one event, in the organisation's language, with the link back to what it is about."""
    thing, subject = _subject(data)
    with in_language(_language(organisation)):
        heading = str(events().label(name)) if name in events() else name
        kind = next((kind for kind in event_kinds() if kind.name == name), None)
        values = kind.values if kind is not None and kind.values is not None else None
        details = []
        if "from" in data and "to" in data:
            before, after = ((values.label(data["from"]), values.label(data["to"])) if values is not None
                             else (data["from"], data["to"]))
            details.append(_("From %(before)s to %(after)s.", before=before, after=after))
        reading = data.get("reading")
        if isinstance(reading, dict) and "value" in reading:
            details.append(_("Reading: %(value)s %(unit)s on %(day)s", value=reading["value"],
                             unit=thing.get("unit") or "", day=reading.get("on", "")).replace("  ", " "))
        if thing.get("due_on"):
            details.append(_("Due on %(day)s.", day=thing["due_on"]))
        return Message(heading, subject, " ".join(details), organisation.name, thing.get("url"), _("Open"))


def test_message(organisation: Organisation, channel: ChatChannel) -> Message:
    from cxroadmap.mail import absolute_url

    with in_language(_language(organisation)):
        return Message(_("Test message from cxroadmap"), channel.name,
                       _("If you can read this, %(name)s reaches this channel.", name=organisation.name),
                       organisation.name, absolute_url("chat.settings", slug=organisation.slug), _("Open"))


def record_event(connection, organisation: Organisation, name: str, data: dict, now: datetime) -> int:
    """The event sink: a message for each active channel of the organisation that wants event `name`, written in
    the same transaction as the change that is the event."""
    wanted = connection.execute(select(ChatChannel.id, ChatChannel.kind, ChatChannel.events).where(
        ChatChannel.organisation_id == organisation.id, ChatChannel.active.is_(True))).all()
    wanted = [(channel_id, kind) for channel_id, kind, chosen in wanted if name in (chosen or [])]
    if not wanted:
        return 0
    message = event_message(organisation, name, data)
    connection.execute(ChatMessage.__table__.insert(), [
        {"channel_id": channel_id, "event": name, "body": payload(kind, message), "created_at": now,
         "next_attempt_at": now, "attempts": 0, "last_error": ""} for channel_id, kind in wanted])
    return len(wanted)


def queue_test(organisation: Organisation, channel: ChatChannel) -> ChatMessage:
    """A test message for the channel, sent by the scheduler within seconds (flushes)."""
    message = ChatMessage(channel_id=channel.id, event=TEST_EVENT,
                          body=payload(channel.kind, test_message(organisation, channel)), attempts=0,
                          last_error="", next_attempt_at=utcnow())
    db.session.add(message)
    db.session.flush()
    return message


# -- posting -------------------------------------------------------------------------------------------

def post(message: ChatMessage, now: datetime, allow_private: bool, resolver=posting.resolve) -> posting.Sent:
    """POST the message's JSON to its channel (changing nothing in the database). The platforms sign nothing (so
    `now` is not needed): the address is the secret, so it is vetted again each time like a webhook's."""
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "cxroadmap-chat"}
    return posting.post(message.channel.secret_url, message.body, headers, allow_private, resolver)


def note(message: ChatMessage, now: datetime, sent: posting.Sent) -> bool:
    """Note how an attempt went and when to try again; a channel failing for 24 hours is turned off (flushes).
    Whether it was delivered."""
    posting.record_attempt(message, message.channel, now, sent)
    return not sent.error


def messages_due(now: datetime) -> int:
    due = list(db.session.scalars(posting.due_query(ChatMessage, ChatChannel, now)))
    for message in due:
        work_log.info("would post %s to %s channel %s", message.event, message.channel.kind, message.channel.name)
    return len(due)


def deliver(now: datetime) -> int:
    """Try each message that is due once (as `posting` tries every post). How many attempts were made."""
    return posting.attempt_each_due(ChatMessage, ChatChannel, now, post, note, _said)


def _said(message: ChatMessage, sent: posting.Sent, delivered: bool) -> None:
    """The work log's line for one attempt."""
    work_log.info("%s %s to %s channel %s%s", "posted" if delivered else "failed", message.event,
                  message.channel.kind, message.channel.name, "" if delivered else f": {sent.error}")


def backlog():
    """What the site administrator's page shows of chat messages: waiting, given up, the latest failures."""
    return posting.backlog("chat", _l("Slack and Teams messages"), ChatMessage, ChatChannel,
                           lambda message: message.channel.name)
