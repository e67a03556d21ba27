"""What a person's calendar holds, written as iCalendar (RFC 5545): their organisations' milestones and steering
meetings, and the actions they own; also the invitation to one meeting (iTIP REQUEST or CANCEL)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import icalendar
from flask import current_app
from sqlalchemy import func, select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, SteeringMeeting
from cxroadmap.i18n import _, in_language, known
from cxroadmap.initiatives.models import Initiative, Milestone
from cxroadmap.mail import absolute_url, default_sender
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import local_date, utcnow

PRODUCT_ID = "-//cxroadmap//calendar//EN"
# How far back the feed reaches: older items are history, and calendar apps fetch the whole feed each time.
KEPT_FOR = timedelta(days=366)


def uid(kind: str, row_id: int) -> str:
    """The item's UID: the same every time the feed is read, so calendar apps update an item instead of adding."""
    host = urlsplit(current_app.config.get("BASE_URL") or "").hostname or "cxroadmap.invalid"
    return f"{kind}-{row_id}@{host}"


def language_of(user: User, organisations: list[Organisation]) -> str:
    return known(user.locale) or next((known(o.locale) for o in organisations if known(o.locale)), None) or "en"


def organisations_of(user: User) -> list[Organisation]:
    """The organisations the person is a member of now: losing a membership takes its items out at once."""
    return list(db.session.scalars(select(Organisation).join(Membership, Membership.organisation_id == Organisation.id)
                                   .where(Membership.user_id == user.id).order_by(Organisation.name)))


def _calendar(name: str, method: str | None = None) -> icalendar.Calendar:
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    if method:
        calendar.add("method", method)
    calendar.add("x-wr-calname", name)
    return calendar


def _day_event(kind: str, row_id: int, on: date, summary: str, description: str, url: str | None,
               stamp: datetime, sequence: int = 0) -> icalendar.Event:
    """An all-day item: the product keeps dates, not times, and a date means that day wherever one is."""
    event = icalendar.Event()
    event.add("uid", uid(kind, row_id))
    event.add("dtstamp", stamp)
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    event.add("summary", summary)
    event.add("sequence", sequence)
    event.add("transp", "TRANSPARENT")
    if description:
        event.add("description", description)
    if url:
        event.add("url", url)
    return event


def agenda_lines(meeting: SteeringMeeting) -> tuple[str, ...]:
    return (*(f"{initiative.ref} {initiative.title}" for initiative in meeting.agenda),
            *(line.strip() for line in (meeting.other_items or "").splitlines() if line.strip()))


def described(link: str, agenda: tuple[str, ...]) -> str:
    """A meeting's description: the agenda's link, then its items (in the language in force)."""
    return "\n".join([_("Agenda: %(link)s", link=link), *(f"- {line}" for line in agenda)])


def meeting_link(meeting: SteeringMeeting, organisation: Organisation) -> str:
    return absolute_url("governance.meeting", slug=organisation.slug, meeting_id=meeting.id)


def meeting_sequence(meeting: SteeringMeeting) -> int:
    """The meeting's SEQUENCE: its version counts each saved change, so a moved meeting always carries a higher one."""
    return max((meeting.version or 1) - 1, 0)


def meeting_event(meeting: SteeringMeeting, organisation: Organisation, stamp: datetime) -> icalendar.Event:
    return _day_event("meeting", meeting.id, meeting.held_on, f"{meeting.title} · {organisation.name}",
                      described(meeting_link(meeting, organisation), agenda_lines(meeting)),
                      meeting_link(meeting, organisation), stamp,
                      meeting_sequence(meeting))


def _milestones(organisation: Organisation, since: date) -> list[Milestone]:
    return list(db.session.scalars(select(Milestone).join(Initiative).where(
        Initiative.organisation_id == organisation.id, Initiative.archived.is_(False), Milestone.due_on >= since)
        .order_by(Milestone.due_on, Milestone.id)))


def _meetings(organisation: Organisation, since: date) -> list[SteeringMeeting]:
    return list(db.session.scalars(SteeringMeeting.scoped_to(organisation).where(SteeringMeeting.held_on >= since)
                                   .order_by(SteeringMeeting.held_on, SteeringMeeting.id)))


def _own_actions(organisation: Organisation, user: User, since: date) -> list[ActionItem]:
    return list(db.session.scalars(ActionItem.scoped_to(organisation).join(
        CoalitionMember, CoalitionMember.id == ActionItem.owner_id).where(
        func.lower(CoalitionMember.email) == user.email.lower(), ActionItem.due_on.is_not(None),
        ActionItem.due_on >= since).order_by(ActionItem.due_on, ActionItem.id)))


def _organisation_items(calendar: icalendar.Calendar, organisation: Organisation, user: User,
                        stamp: datetime) -> None:
    since = local_date(stamp, organisation.time_zone) - KEPT_FOR
    for milestone in _milestones(organisation, since):
        initiative = milestone.initiative
        done = _(" (done)") if milestone.done_on else ""
        calendar.add_component(_day_event(
            "milestone", milestone.id, milestone.due_on,
            _("Milestone: %(title)s", title=milestone.title) + done,
            _("%(ref)s %(title)s · %(name)s", ref=initiative.ref, title=initiative.title, name=organisation.name),
            absolute_url("initiatives.show", slug=organisation.slug, ref=initiative.ref), stamp))
    for meeting in _meetings(organisation, since):
        calendar.add_component(meeting_event(meeting, organisation, stamp))
    for action in _own_actions(organisation, user, since):
        done = _(" (done)") if action.status == "done" else ""
        calendar.add_component(_day_event(
            "action", action.id, action.due_on, _("Action: %(title)s", title=action.title) + done,
            organisation.name, absolute_url("governance.meetings", slug=organisation.slug), stamp))


def personal_calendar(user: User, now: datetime | None = None) -> bytes:
    """The person's feed, in their language: every organisation they belong to now, nothing of any other."""
    stamp = (now or utcnow()).replace(microsecond=0)
    organisations = organisations_of(user)
    with in_language(language_of(user, organisations)):
        calendar = _calendar(_("cxroadmap: %(name)s", name=user.name))
        zones = {organisation.time_zone or "UTC" for organisation in organisations}
        if len(zones) == 1:
            # The items are whole days; the zone only tells apps which days "today" and "overdue" mean here.
            calendar.add("x-wr-timezone", zones.pop())
        for organisation in organisations:
            _organisation_items(calendar, organisation, user, stamp)
    return calendar.to_ical()


@dataclass(frozen=True)
class Invitation:
    """What an invitation to one meeting says, kept when it is queued: a cancelled meeting is gone by the time
    the mail is made."""

    method: str  # "REQUEST" or "CANCEL"
    meeting_id: int
    organisation_id: int
    held_on: date
    title: str
    sequence: int
    agenda: tuple[str, ...]
    link: str
    attendees: tuple[tuple[str, str], ...]  # (name, email)


def invitation_calendar(invitation: Invitation, organisation: Organisation, now: datetime) -> bytes:
    """The iTIP message (RFC 5546) of an invitation: one event with its organiser and attendees."""
    calendar = _calendar(organisation.name, invitation.method)
    event = _day_event("meeting", invitation.meeting_id, invitation.held_on,
                       f"{invitation.title} · {organisation.name}", described(invitation.link, invitation.agenda),
                       invitation.link,
                       now.replace(microsecond=0), invitation.sequence)
    event.add("status", "CANCELLED" if invitation.method == "CANCEL" else "CONFIRMED")
    organiser = icalendar.vCalAddress(f"mailto:{_address(default_sender())}")
    organiser.params["cn"] = icalendar.vText(organisation.name)
    event.add("organizer", organiser)
    for name, email in invitation.attendees:
        attendee = icalendar.vCalAddress(f"mailto:{email}")
        attendee.params.update({"cn": icalendar.vText(name), "role": "REQ-PARTICIPANT", "rsvp": "FALSE",
                                "partstat": "NEEDS-ACTION"})
        event.add("attendee", attendee)
    calendar.add_component(event)
    return calendar.to_ical()


def _address(sender: str) -> str:
    return parseaddr(sender)[1] or "cxroadmap@localhost"
