"""Notifications' own timed work and what other areas' mail work shares: events raised by time, webhook
deliveries and their retries, the record of what was sent (so nothing is sent twice), the mail settings."""

from collections.abc import Callable
from datetime import datetime

from sqlalchemy import select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.extensions import db
from cxroadmap.i18n import _, in_language, known
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.mail import Mail, absolute_url, outbox, render_mail
from cxroadmap.notifications import posting, webhooks
from cxroadmap.notifications.events import EventKind, TimedEvent, record_event, timed_kinds, wanting
from cxroadmap.notifications.models import NotificationSettings, SentNotice, WebhookDelivery, WebhookEndpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.scheduler import work_log

DIGEST_HOUR = 7


# -- settings ------------------------------------------------------------------------------------------

def settings_of(organisation: Organisation) -> NotificationSettings:
    found = db.session.scalar(NotificationSettings.scoped_to(organisation))
    return found or NotificationSettings(organisation_id=organisation.id, meeting_pack_days=3, digest_hour=DIGEST_HOUR)


def save_settings(organisation: Organisation, meeting_pack_days, digest_hour=None) -> NotificationSettings:
    from cxroadmap.validation import Problems

    problems = Problems()
    problems.require(isinstance(meeting_pack_days, int) and 0 <= meeting_pack_days <= 30, "meeting_pack_days",
                     _("Give a whole number of days from 0 to 30."))
    problems.require(digest_hour is None or (isinstance(digest_hour, int) and 0 <= digest_hour <= 23),
                     "digest_hour", _("Give a whole hour from 0 to 23."))
    problems.raise_if_any()
    settings = settings_of(organisation)
    settings.meeting_pack_days = meeting_pack_days
    if digest_hour is not None:
        settings.digest_hour = digest_hour
    db.session.add(settings)
    db.session.flush()
    return settings


# -- what was sent -------------------------------------------------------------------------------------

def language_for(user: User, organisation: Organisation) -> str:
    return known(user.locale) or known(organisation.locale) or "en"


def sent(keys: list[str]) -> set[str]:
    """Which of these keys name something already sent (or raised)."""
    if not keys:
        return set()
    return set(db.session.scalars(select(SentNotice.key).where(SentNotice.key.in_(keys))))


def remember(key: str, kind: str, organisation_id: int | None, user_id: int | None, now: datetime) -> None:
    """Note that `key` was sent, so it never goes again (flushes; the caller commits)."""
    db.session.add(SentNotice(key=key, kind=kind, organisation_id=organisation_id, user_id=user_id, sent_at=now))
    db.session.flush()


# -- events raised by time -----------------------------------------------------------------------------

def timed_events_due(now: datetime) -> list[tuple[EventKind, TimedEvent]]:
    """The events the areas raise by time that are due by now and were not raised yet."""
    found = [(kind, event) for kind in timed_kinds() for event in kind.due(now)]
    done = sent([event.key for _kind, event in found])
    return [(kind, event) for kind, event in found if event.key not in done]


def raise_timed_events(now: datetime) -> int:
    """Raise each event due by time once: a delivery for every endpoint that wants it. How many events."""
    if not timed_events_due(now):
        return 0
    raised = 0
    with writing_from_here():  # looked for again under the write lock: another process may have raised them
        for kind, event in timed_events_due(now):
            record_event(db.session.connection(), event.organisation, kind.name, event.data(), now)
            remember(event.key, "event", event.organisation.id, None, now)
            work_log.info("raised %s: %s (%s)", kind.name, event.key, event.organisation.name)
            raised += 1
        db.session.commit()
    return raised


# -- webhook deliveries --------------------------------------------------------------------------------

def deliveries_due(now: datetime) -> int:
    """How many attempts `deliver(now)` would make: the deliveries due, and those the events due by time would
    add (one per endpoint that wants the event). Logs each."""
    due = webhooks.due_deliveries(now)
    for delivery in due:
        work_log.info("would deliver %s to %s", delivery.event, delivery.endpoint.url)
    count = len(due)
    connection = db.session.connection()
    for kind, event in timed_events_due(now):
        endpoints = wanting(connection, event.organisation.id, kind.name)
        work_log.info("would raise %s: %s (%s) for %s endpoints", kind.name, event.key, event.organisation.name,
                      len(endpoints))
        count += len(endpoints)
    return count


def deliver(now: datetime) -> int:
    """Raise the events due by time, then try each delivery that is due once (as `posting` tries every post); the
    administrators are told of an endpoint an attempt turned off. How many attempts were made."""
    raise_timed_events(now)
    with outbox() as box:
        return posting.attempt_each_due(WebhookDelivery, WebhookEndpoint, now, webhooks.send, webhooks.note_attempt,
                                        lambda _delivery, _sent, result: _tell_of(result, box))


def _tell_of(result: webhooks.Attempt, box) -> None:
    """Log how an attempt went, and tell the organisation's administrators when it turned the endpoint off."""
    if result.ok:
        work_log.info("delivered %s to %s", result.event, result.url)
    else:
        work_log.info("failed %s to %s: %s", result.event, result.url, result.error)
    if result.disabled is not None:
        try:
            _tell_admins(result.disabled, work_log.info, box)
        except OSError as problem:
            work_log.warning("telling the administrators that %s is off: %s", result.url, problem)


def disabled_mail(user: User, endpoint, organisation: Organisation) -> Mail:
    language = language_for(user, organisation)
    text, html = render_mail("webhook_disabled", language, organisation=organisation, user=user, endpoint=endpoint,
                             link=absolute_url("notifications.endpoint", slug=organisation.slug,
                                               endpoint_id=endpoint.id))
    with in_language(language):
        subject = _("%(name)s: a webhook has been turned off", name=organisation.name)
    return Mail(user.email, subject, text, html, headers={"Auto-Submitted": "auto-generated"})


def _tell_admins(endpoint, say: Callable[[str], None], box) -> None:
    organisation = db.session.get(Organisation, endpoint.organisation_id)
    admins = db.session.scalars(select(Membership).join(User).where(
        Membership.organisation_id == organisation.id, Membership.role == "admin", User.active.is_(True)))
    for membership in admins:
        box.send(disabled_mail(membership.user, endpoint, organisation))
        say(f"told {membership.user.email} that {endpoint.url} is turned off")
