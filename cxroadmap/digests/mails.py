"""Digests, steering digests and meeting packs by mail: what is due when, composing each mail, sending it once.

Each organisation sends at its digest hour in its own time zone: a daily digest at that hour every day, weekly
ones (a person's and the steering committee's) at that hour on Monday, and a meeting's agenda and pack at that
hour the chosen number of days before the meeting. What is due is the latest of those moments that has passed
and was not sent yet, so a scheduler that was down sends what it missed once when it starts.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import contains_eager

from cxroadmap.accounts.models import Membership, User
from cxroadmap.digests.content import personal_digest, steering_digest
from cxroadmap.extensions import db
from cxroadmap.governance.models import SteeringMeeting
from cxroadmap.governance.steering_pack import SteeringPack, gather_pack
from cxroadmap.i18n import _, format_day, in_language, ngettext
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.mail import Attachment, Mail, absolute_url, outbox, render_mail
from cxroadmap.notifications.notify import language_for, remember, sent, settings_of
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import all_organisations
from cxroadmap.scheduler import work_log
from cxroadmap.timeutil import zone

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


# -- composing the mails -------------------------------------------------------------------------------

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
                    date=format_day(meeting.held_on, "long"))
    text, html = render_mail("meeting_pack", language, organisation=organisation, user=user, meeting=meeting,
                             link=absolute_url("governance.meeting", slug=organisation.slug, meeting_id=meeting.id),
                             settings=absolute_url("notifications.settings", slug=organisation.slug))
    filename = f"{organisation.slug}-steering-pack-{meeting.held_on.isoformat()}.pdf"
    return Mail(user.email, subject, text, html, attachments=[Attachment(filename, content)],
                headers={"Auto-Submitted": "auto-generated"})


# -- what is due ---------------------------------------------------------------------------------------

@dataclass
class Due:
    key: str
    kind: str
    organisation_id: int
    user_id: int | None
    describe: str
    make: Callable[[], Mail | None]


@dataclass(frozen=True)
class Clock:
    """An organisation's sending moments as of `now`: its date there, and the latest day whose digest hour has
    passed (today from that hour on, yesterday before it)."""

    today: date
    sending_day: date

    @classmethod
    def of(cls, organisation: Organisation, hour: int, now: datetime) -> "Clock":
        local = now.astimezone(zone(organisation.time_zone))
        passed = local.time() >= time(hour)
        return cls(local.date(), local.date() if passed else local.date() - timedelta(days=1))

    def period(self, frequency: str) -> str:
        """The day (daily) or ISO week (weekly, sent on Monday) of the latest sending moment that has passed."""
        if frequency == "daily":
            return self.sending_day.isoformat()
        monday = self.sending_day - timedelta(days=self.sending_day.weekday())
        year, week, _day = monday.isocalendar()
        return f"{year}-W{week:02d}"


def due_mails(now: datetime) -> list[Due]:
    """Every mail due by now that has not been sent: digests, steering digests, meeting packs."""
    config = current_app.config
    due: list[Due] = []
    for organisation in all_organisations():
        settings = settings_of(organisation)
        clock = Clock.of(organisation, settings.digest_hour, now)
        memberships = list(db.session.scalars(
            select(Membership).join(User).where(Membership.organisation_id == organisation.id, User.active.is_(True))
            .options(contains_eager(Membership.user)).order_by(Membership.id)))
        shared: dict = {}  # the steering digest is the same for every steering member of the organisation
        for m in memberships:
            if m.digest != "off":
                due.append(Due(f"digest:{organisation.id}:{m.user_id}:{clock.period(m.digest)}", "digest",
                               organisation.id, m.user_id, f"{m.digest} digest to {m.user.email} ({organisation.name})",
                               _digest_maker(m, organisation, clock.today, config)))
            if m.role in ("steering", "admin") and m.steering_digest:
                due.append(Due(f"steering:{organisation.id}:{m.user_id}:{clock.period('weekly')}", "steering",
                               organisation.id, m.user_id,
                               f"steering digest to {m.user.email} ({organisation.name})",
                               _steering_maker(m, organisation, clock.today, config, shared)))
        due.extend(_packs_due(organisation, memberships, settings.meeting_pack_days, clock, now))
    done = sent([d.key for d in due])
    return [d for d in due if d.key not in done]


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


def _packs_due(organisation: Organisation, memberships: list[Membership], days: int, clock: Clock,
               now: datetime) -> list[Due]:
    """A meeting's pack is due from its organisation's hour `days` before it, until the meeting's day is over."""
    if not days:
        return []
    meetings = list(db.session.scalars(SteeringMeeting.scoped_to(organisation).where(
        SteeringMeeting.held_on >= clock.today, SteeringMeeting.held_on <= clock.sending_day + timedelta(days=days))))
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
                           lambda u=user, mt=meeting: pack_mail(u, mt, clock.today, now)))
    return due


# -- the timed work ------------------------------------------------------------------------------------

def mails_due(now: datetime) -> int:
    """How many mails `send_mails(now)` would send (each is composed, to know whether it has anything to say)."""
    count = 0
    for item in due_mails(now):
        mail = item.make()
        if mail is not None:
            work_log.info("would send %s: %s", item.describe, mail.subject)
            count += 1
    return count


def send_mails(now: datetime) -> int:
    """Send every mail due and remember each, committed one by one, so a stop halfway resends nothing sent.

    Each mail is composed from what is read, then sent, and only then is the write lock taken, to remember it.
    A mail that cannot be sent is tried again at the next run."""
    count = 0
    with outbox() as box:
        for item in due_mails(now):
            mail = item.make()
            if mail is None:
                continue
            try:
                box.send(mail)
                with writing_from_here():
                    remember(item.key, item.kind, item.organisation_id, item.user_id, now)
                    db.session.commit()
            except (OSError, IntegrityError) as problem:
                db.session.rollback()
                work_log.warning("not sent: %s: %s: %s", item.describe, type(problem).__name__, problem)
                continue
            work_log.info("sent %s", item.describe)
            count += 1
    return count


def said(count: int) -> str:
    return ngettext("Sent %(num)d mail.", "Sent %(num)d mails.", count)
