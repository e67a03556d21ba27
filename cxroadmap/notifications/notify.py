"""`flask notify`: what is due goes out once — digests, steering digests, meeting packs, overdue events, webhooks."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from cxroadmap.accounts.models import Membership, User
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, SteeringMeeting
from cxroadmap.i18n import _, in_language, known
from cxroadmap.mail import Attachment, Mail, absolute_url, outbox, render_mail
from cxroadmap.notifications import webhooks
from cxroadmap.notifications.digests import personal_digest, steering_digest
from cxroadmap.notifications.events import record_event
from cxroadmap.notifications.models import NotificationSettings, SentNotice
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import all_organisations
from cxroadmap.reports.steering_pack import SteeringPack, gather_pack

DIGEST_KINDS = ("digest", "steering")


# -- unsubscribing without signing in ------------------------------------------------------------------

def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="cxroadmap-unsubscribe")


def unsubscribe_token(membership: Membership, kind: str) -> str:
    return _serializer().dumps({"m": membership.id, "k": kind})


def unsubscribe_target(token: str) -> tuple[Membership, str] | None:
    """The membership and digest kind a signed unsubscribe link is for, or None when it is not one of ours."""
    try:
        value = _serializer().loads(token)
    except BadSignature:
        return None
    if not isinstance(value, dict) or value.get("k") not in DIGEST_KINDS or not isinstance(value.get("m"), int):
        return None
    membership = db.session.get(Membership, value["m"])
    return (membership, value["k"]) if membership is not None else None


def unsubscribe(membership: Membership, kind: str) -> None:
    if kind == "steering":
        membership.steering_digest = False
    else:
        membership.digest = "off"
    db.session.flush()


# -- settings ------------------------------------------------------------------------------------------

def settings_of(organisation: Organisation) -> NotificationSettings:
    found = db.session.scalar(NotificationSettings.scoped_to(organisation))
    return found or NotificationSettings(organisation_id=organisation.id, meeting_pack_days=3)


def save_settings(organisation: Organisation, meeting_pack_days) -> NotificationSettings:
    from cxroadmap.errors import DomainError

    if not isinstance(meeting_pack_days, int) or not 0 <= meeting_pack_days <= 30:
        raise DomainError({"meeting_pack_days": _("Give a whole number of days from 0 to 30.")})
    settings = settings_of(organisation)
    settings.meeting_pack_days = meeting_pack_days
    db.session.add(settings)
    db.session.flush()
    return settings


# -- composing the mails -------------------------------------------------------------------------------

def language_for(user: User, organisation: Organisation) -> str:
    return known(user.locale) or known(organisation.locale) or "en"


def _digest_headers(membership: Membership, kind: str) -> tuple[str, dict]:
    link = absolute_url("mail_links.unsubscribe", token=unsubscribe_token(membership, kind))
    return link, {"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
                  "Auto-Submitted": "auto-generated"}


def digest_mail(membership: Membership, digest) -> Mail:
    organisation, user = digest.organisation, membership.user
    language = language_for(user, organisation)
    unsubscribe_link, headers = _digest_headers(membership, "digest")
    text, html = render_mail("digest", language, organisation=organisation, user=user, d=digest,
                             membership=membership, unsubscribe=unsubscribe_link,
                             settings=absolute_url("accounts.account"),
                             home=absolute_url("overview.show", slug=organisation.slug),
                             link=lambda endpoint, **v: absolute_url(endpoint, slug=organisation.slug, **v))
    with in_language(language):
        subject = _("%(name)s: your digest", name=organisation.name)
    return Mail(user.email, subject, text, html, headers=headers)


def steering_mail(membership: Membership, digest) -> Mail:
    organisation, user = digest.organisation, membership.user
    language = language_for(user, organisation)
    unsubscribe_link, headers = _digest_headers(membership, "steering")
    text, html = render_mail("steering_digest", language, organisation=organisation, user=user, d=digest,
                             unsubscribe=unsubscribe_link, settings=absolute_url("accounts.account"),
                             dashboard=absolute_url("governance.dashboard_page", slug=organisation.slug),
                             link=lambda endpoint, **v: absolute_url(endpoint, slug=organisation.slug, **v))
    with in_language(language):
        subject = _("%(name)s: the steering committee's week", name=organisation.name)
    return Mail(user.email, subject, text, html, headers=headers)


def pack_mail(user: User, meeting: SteeringMeeting, on: date, now: datetime) -> Mail:
    organisation = db.session.get(Organisation, meeting.organisation_id)
    language = language_for(user, organisation)
    with in_language(language):
        content = SteeringPack(gather_pack(organisation, meeting, on, now)).render()
        subject = _("%(name)s: agenda and steering pack for %(date)s", name=organisation.name,
                    date=_format_day(meeting.held_on))
    text, html = render_mail("meeting_pack", language, organisation=organisation, user=user, meeting=meeting,
                             link=absolute_url("governance.meeting", slug=organisation.slug, meeting_id=meeting.id),
                             settings=absolute_url("notifications.settings", slug=organisation.slug))
    filename = f"{organisation.slug}-steering-pack-{meeting.held_on.isoformat()}.pdf"
    return Mail(user.email, subject, text, html, attachments=[Attachment(filename, content)],
                headers={"Auto-Submitted": "auto-generated"})


def _format_day(day: date) -> str:
    from cxroadmap.i18n import format_day

    return format_day(day, "long")


def disabled_mail(user: User, endpoint, organisation: Organisation) -> Mail:
    language = language_for(user, organisation)
    text, html = render_mail("webhook_disabled", language, organisation=organisation, user=user, endpoint=endpoint,
                             link=absolute_url("notifications.endpoint", slug=organisation.slug,
                                               endpoint_id=endpoint.id))
    with in_language(language):
        subject = _("%(name)s: a webhook has been turned off", name=organisation.name)
    return Mail(user.email, subject, text, html, headers={"Auto-Submitted": "auto-generated"})


# -- what is due ---------------------------------------------------------------------------------------

@dataclass
class Due:
    key: str
    kind: str
    organisation_id: int
    user_id: int | None
    describe: str
    make: Callable[[], Mail | None]


def _sent(keys: list[str]) -> set[str]:
    if not keys:
        return set()
    return set(db.session.scalars(select(SentNotice.key).where(SentNotice.key.in_(keys))))


def _period(frequency: str, on: date) -> str:
    year, week, _day = on.isocalendar()
    return on.isoformat() if frequency == "daily" else f"{year}-W{week:02d}"


def due_mails(on: date, now: datetime) -> list[Due]:
    """Every mail due today that has not been sent: digests, steering digests, meeting packs."""
    config = current_app.config
    due: list[Due] = []
    for organisation in all_organisations():
        memberships = list(db.session.scalars(
            select(Membership).join(User).where(Membership.organisation_id == organisation.id, User.active.is_(True))
            .options(contains_eager(Membership.user)).order_by(Membership.id)))
        shared: dict = {}  # the steering digest is the same for every steering member of the organisation
        for m in memberships:
            if m.digest != "off":
                due.append(Due(f"digest:{organisation.id}:{m.user_id}:{_period(m.digest, on)}", "digest",
                               organisation.id, m.user_id, f"{m.digest} digest to {m.user.email} ({organisation.name})",
                               _digest_maker(m, organisation, on, config)))
            if m.role in ("steering", "admin") and m.steering_digest:
                due.append(Due(f"steering:{organisation.id}:{m.user_id}:{_period('weekly', on)}", "steering",
                               organisation.id, m.user_id,
                               f"steering digest to {m.user.email} ({organisation.name})",
                               _steering_maker(m, organisation, on, config, shared)))
        due.extend(_packs_due(organisation, memberships, on, now))
    sent = _sent([d.key for d in due])
    return [d for d in due if d.key not in sent]


def _digest_maker(membership, organisation, on, config):
    def make():
        digest = personal_digest(organisation, membership.user.email, on, config["STALE_UPDATE_DAYS"])
        return None if digest.empty else digest_mail(membership, digest)
    return make


def _steering_maker(membership, organisation, on, config, cache: dict):
    def make():
        digest = cache.setdefault(organisation.id, steering_digest(organisation, on, config))
        return None if digest.empty else steering_mail(membership, digest)
    return make


def _packs_due(organisation: Organisation, memberships: list[Membership], on: date, now: datetime) -> list[Due]:
    days = settings_of(organisation).meeting_pack_days
    if not days:
        return []
    from datetime import timedelta

    meetings = list(db.session.scalars(SteeringMeeting.scoped_to(organisation).where(
        SteeringMeeting.held_on >= on, SteeringMeeting.held_on <= on + timedelta(days=days))))
    by_email = {m.user.email.lower(): m for m in memberships}
    due = []
    for meeting in meetings:
        for attendee in meeting.attendees:
            # Only attendees who may read the organisation get its pack: an address alone is not a member.
            membership = by_email.get((attendee.email or "").lower())
            if membership is None:
                continue
            user = membership.user
            due.append(Due(f"pack:{meeting.id}:{user.id}", "meeting_pack", organisation.id, user.id,
                           f"steering pack of {meeting.held_on} to {user.email} ({organisation.name})",
                           lambda u=user, mt=meeting: pack_mail(u, mt, on, now)))
    return due


def overdue_actions_due(on: date) -> list[tuple[Organisation, ActionItem, str]]:
    found = []
    for organisation in all_organisations():
        actions = db.session.scalars(ActionItem.scoped_to(organisation).where(
            ActionItem.status == "open", ActionItem.due_on < on).order_by(ActionItem.id))
        found.extend((organisation, a, f"event:action.overdue:{a.id}:{a.due_on}") for a in actions)
    sent = _sent([key for _o, _a, key in found])
    return [item for item in found if item[2] not in sent]


# -- the run -------------------------------------------------------------------------------------------

@dataclass
class Summary:
    mails: int = 0
    events: int = 0
    deliveries: int = 0
    failures: list[str] = field(default_factory=list)


def _remember(key: str, kind: str, organisation_id: int | None, user_id: int | None, now: datetime) -> None:
    db.session.add(SentNotice(key=key, kind=kind, organisation_id=organisation_id, user_id=user_id, sent_at=now))
    db.session.flush()


def run(on: date, now: datetime, dry_run: bool, say: Callable[[str], None]) -> Summary:
    """Send what is due and remember it (each committed on its own, so a crash resends nothing already sent)."""
    summary = Summary()
    for organisation, action, key in overdue_actions_due(on):
        say(f"{'would raise' if dry_run else 'raised'} action.overdue: {action.title} ({organisation.name})")
        if not dry_run:
            record_event(db.session.connection(), organisation, "action.overdue", _action_data(action, organisation),
                         now)
            _remember(key, "event", organisation.id, None, now)
            db.session.commit()
        summary.events += 1
    due = due_mails(on, now)
    with outbox() as box:
        for item in due:
            mail = item.make()
            if mail is None:
                continue
            if dry_run:
                say(f"would send {item.describe}: {mail.subject}")
                summary.mails += 1
                continue
            try:
                box.send(mail)
                _remember(item.key, item.kind, item.organisation_id, item.user_id, now)
                db.session.commit()
            except (OSError, IntegrityError) as problem:
                db.session.rollback()
                summary.failures.append(f"{item.describe}: {type(problem).__name__}: {problem}")
                continue
            say(f"sent {item.describe}")
            summary.mails += 1
        _deliver(now, dry_run, say, summary, box)
    return summary


def _action_data(action: ActionItem, organisation: Organisation) -> dict:
    return {"action": {"id": action.id, "title": action.title, "due_on": action.due_on.isoformat(),
                       "owner": action.owner.name if action.owner else None,
                       "initiative": action.initiative.ref if action.initiative else None,
                       "url": absolute_url("governance.meetings", slug=organisation.slug)}}


def _deliver(now: datetime, dry_run: bool, say, summary: Summary, box) -> None:
    allow_private = bool(current_app.config.get("ALLOW_PRIVATE_WEBHOOKS"))
    for delivery in webhooks.due_deliveries(now):
        if dry_run:
            say(f"would deliver {delivery.event} to {delivery.endpoint.url}")
            summary.deliveries += 1
            continue
        result = webhooks.attempt(delivery, now, allow_private)
        db.session.commit()
        summary.deliveries += 1
        say(f"delivered {result.event} to {result.url}" if result.ok else
            f"failed {result.event} to {result.url}: {result.error}")
        if result.disabled is not None:
            try:
                _tell_admins(result.disabled, say, box)
            except OSError as problem:
                summary.failures.append(f"telling the administrators that {result.url} is off: {problem}")


def _tell_admins(endpoint, say, box) -> None:
    organisation = db.session.get(Organisation, endpoint.organisation_id)
    admins = db.session.scalars(select(Membership).join(User).where(
        Membership.organisation_id == organisation.id, Membership.role == "admin", User.active.is_(True)))
    for membership in admins:
        box.send(disabled_mail(membership.user, endpoint, organisation))
        say(f"told {membership.user.email} that {endpoint.url} is turned off")
