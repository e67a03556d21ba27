"""Chat channels of an organisation: adding them (never to private addresses, never to a retired connector),
the messages its events make, and posting them with retries, as webhooks are posted."""

import http.client
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update

from cxroadmap.chat.messages import SLACK, TEAMS, Message, payload
from cxroadmap.chat.models import ChatChannel, ChatMessage
from cxroadmap.database import writing
from cxroadmap.errors import DomainError, NotInOrganisation, Problems
from cxroadmap.extensions import db
from cxroadmap.i18n import _, in_language, known
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.notifications import webhooks
from cxroadmap.notifications.events import event_kinds, events
from cxroadmap.organisations.models import Organisation
from cxroadmap.scheduler import work_log
from cxroadmap.timeutil import aware, utcnow

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
    webhooks.vetted_address(url, allow_private, resolver)


def add_channel(organisation: Organisation, kind: str, name: str, url: str, wanted: list[str], allow_private: bool,
                resolver=webhooks.resolve) -> ChatChannel:
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
    found = db.session.scalar(ChatChannel.scoped_to(organisation).where(ChatChannel.id == channel_id))
    if found is None:
        raise NotInOrganisation(_("No such channel."))
    return found


def shown_url(channel: ChatChannel) -> str:
    """The address shortened: it is the channel's only credential, so the page never shows it whole."""
    parts = urlsplit(channel.secret_url)
    return f"{parts.scheme}://{parts.netloc}/…{channel.secret_url[-4:]}"


def set_active(channel: ChatChannel, active: bool) -> None:
    channel.active = active
    channel.failing_since = None
    channel.disabled_at = None if active else utcnow()
    db.session.flush()


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

@dataclass(frozen=True)
class Posted:
    status: int | None
    error: str


def post(message: ChatMessage, allow_private: bool, resolver=webhooks.resolve) -> Posted:
    """POST the message's JSON to its channel (changing nothing in the database). The platforms sign nothing:
    the address is the secret, so it is vetted again each time like a webhook's."""
    channel = message.channel
    headers = {"Content-Type": "application/json; charset=utf-8", "User-Agent": "cxroadmap-chat"}
    status, error = None, ""
    try:
        address = webhooks.vetted_address(channel.secret_url, allow_private, resolver)
        status, _elapsed = webhooks._post(channel.secret_url, address, message.body.encode(), headers)
        if not 200 <= status < 300:
            error = f"HTTP {status}"
    except DomainError as refusal:
        error = " ".join(refusal.errors.values())
    except (OSError, http.client.HTTPException) as problem:
        error = f"{type(problem).__name__}: {problem}"
    return Posted(status, error)


def note(message: ChatMessage, now: datetime, posted: Posted) -> bool:
    """Note how an attempt went and when to try again; a channel failing for 24 hours is turned off (flushes).
    Whether it was delivered."""
    channel = message.channel
    message.attempts += 1
    message.last_attempt_at, message.last_status, message.last_error = now, posted.status, posted.error[:300]
    if not posted.error:
        message.delivered_at = now
        channel.failing_since = None
    else:
        channel.failing_since = aware(channel.failing_since) or now
        deadline = aware(message.created_at) + webhooks.RETRY_FOR
        if now >= deadline:
            message.given_up_at = now
        else:
            message.next_attempt_at = min(now + webhooks.backoff(message.attempts), deadline)
        if channel.active and now - channel.failing_since >= webhooks.DISABLE_AFTER:
            channel.active, channel.disabled_at = False, now
    db.session.flush()
    return not posted.error


def _due(now: datetime, limit: int = 500):
    return (select(ChatMessage).join(ChatChannel).where(
        ChatChannel.active.is_(True), ChatMessage.delivered_at.is_(None), ChatMessage.given_up_at.is_(None),
        ChatMessage.next_attempt_at <= now).order_by(ChatMessage.next_attempt_at, ChatMessage.id).limit(limit))


def messages_due(now: datetime) -> int:
    due = list(db.session.scalars(_due(now)))
    for message in due:
        work_log.info("would post %s to %s channel %s", message.event, message.channel.kind, message.channel.name)
    return len(due)


def _claim(message_id: int, now: datetime) -> bool:
    taken = db.session.execute(update(ChatMessage).where(
        ChatMessage.id == message_id, ChatMessage.delivered_at.is_(None), ChatMessage.given_up_at.is_(None),
        ChatMessage.next_attempt_at <= now).values(next_attempt_at=now + webhooks.CLAIM_FOR),
        execution_options={"synchronize_session": False})
    return bool(taken.rowcount)


def deliver(now: datetime) -> int:
    """Try each message that is due once (taken first, so no other process tries it meanwhile; the POST is made
    outside any transaction). How many attempts were made."""
    allow_private = bool(current_app.config.get("ALLOW_PRIVATE_WEBHOOKS"))
    due = [message.id for message in db.session.scalars(_due(now))]
    db.session.commit()
    made = 0
    for message_id in due:
        with writing():
            taken = _claim(message_id, now)
            db.session.commit()
        if not taken:
            continue
        message = db.session.get(ChatMessage, message_id)
        posted = post(message, allow_private)
        with writing_from_here():
            ok = note(message, now, posted)
            db.session.commit()
        made += 1
        work_log.info("%s %s to %s channel %s%s", "posted" if ok else "failed", message.event, message.channel.kind,
                      message.channel.name, "" if ok else f": {posted.error}")
    return made


def backlog():
    """What the site administrator's page shows of chat messages: waiting, given up, the latest failures."""
    from cxroadmap.i18n import _l
    from cxroadmap.scheduler import Backlog, Failure

    def count() -> tuple[int, int]:
        waiting = db.session.scalar(select(func.count()).select_from(ChatMessage).join(ChatChannel).where(
            ChatChannel.active.is_(True), ChatMessage.delivered_at.is_(None), ChatMessage.given_up_at.is_(None)))
        failed = db.session.scalar(select(func.count()).select_from(ChatMessage).where(
            ChatMessage.given_up_at.is_not(None)))
        return waiting, failed

    def failures(limit: int) -> list[Failure]:
        query = (select(ChatMessage, Organisation.name).select_from(ChatMessage).join(ChatChannel)
                 .join(Organisation, Organisation.id == ChatChannel.organisation_id)
                 .where(ChatMessage.delivered_at.is_(None), ChatMessage.last_error != "")
                 .order_by(ChatMessage.last_attempt_at.desc(), ChatMessage.id.desc()).limit(limit))
        return [Failure(aware(message.last_attempt_at), name, f"{message.event} → {message.channel.name}",
                        message.last_error) for message, name in db.session.execute(query)]

    return Backlog("chat", _l("Slack and Teams messages"), count, failures)
