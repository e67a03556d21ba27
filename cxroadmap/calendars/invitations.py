"""Invitations to steering meetings: when a meeting is planned, moved or cancelled, or someone joins or leaves
its attendees, each attendee with an account gets a mail with an `.ics` (METHOD:REQUEST or CANCEL).

Governance knows nothing of this: what a transaction did to meetings is noted at each flush, and when it commits
the mails are queued in it (mail.queue_mail) and sent once it is committed (mail.send_queued_soon)."""

from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from flask import has_app_context
from sqlalchemy import event as sa_event
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from cxroadmap.accounts.models import Membership, User
from cxroadmap.calendars.feed import (
    Invitation,
    agenda_lines,
    invitation_calendar,
    meeting_link,
    meeting_sequence,
)
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.governance.models import SteeringMeeting
from cxroadmap.i18n import _, format_day, in_language
from cxroadmap.mail import Attachment, Mail, mail_kind, queue_mail, render_mail, send_queued_soon
from cxroadmap.notifications.notify import language_for
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import local_date, utcnow

KIND = "meeting_invitation"
NOTES = "calendars.meeting_changes"
QUEUED = "calendars.invitations_queued"


@dataclass
class Change:
    """What a transaction did to one meeting, over all its flushes."""

    new: bool = False
    moved: bool = False  # its date or title changed: everyone gets the new one
    joined: set[int] = field(default_factory=set)  # coalition member ids
    left: set[int] = field(default_factory=set)
    cancelled: Invitation | None = None  # the meeting was deleted: what the cancellation says


def _changed(state, name: str) -> bool:
    history = state.attrs[name].history
    return bool(history.added) and bool(history.deleted) and history.added[0] != history.deleted[0]


def _snapshot(meeting: SteeringMeeting, method: str, sequence: int, attendees) -> Invitation:
    organisation = db.session.get(Organisation, meeting.organisation_id)
    return Invitation(method, meeting.id, meeting.organisation_id, meeting.held_on, meeting.title, sequence,
                      agenda_lines(meeting), meeting_link(meeting, organisation),
                      tuple((member.name, member.email) for member in attendees))


@sa_event.listens_for(Session, "before_flush")
def _note_deleted_meetings(session, flush_context, instances):
    if not has_app_context():
        return
    for obj in session.deleted:
        if isinstance(obj, SteeringMeeting):
            change = session.info.setdefault(NOTES, {}).setdefault(obj.id, Change())
            change.cancelled = _snapshot(obj, "CANCEL", meeting_sequence(obj) + 1, obj.attendees)


@sa_event.listens_for(Session, "after_flush")
def _note_meeting_changes(session, flush_context):
    if not has_app_context():
        return
    for obj in list(session.new) + list(session.dirty):
        if not isinstance(obj, SteeringMeeting):
            continue
        state = inspect(obj)
        history = state.attrs.attendees.history
        joined = {m.id for m in history.added} - {m.id for m in history.deleted}
        left = {m.id for m in history.deleted} - {m.id for m in history.added}
        new = obj in session.new
        moved = not new and (_changed(state, "held_on") or _changed(state, "title"))
        if not (new or moved or joined or left):
            continue
        change = session.info.setdefault(NOTES, {}).setdefault(obj.id, Change())
        change.new, change.moved = change.new or new, change.moved or moved
        change.joined = (change.joined | joined) - left
        change.left = (change.left | left) - joined


@sa_event.listens_for(Session, "before_commit")
def _queue_invitations(session):
    if not has_app_context() or not session.info.get(NOTES):
        return
    session.flush()
    changes = session.info.pop(NOTES, {})
    queued = 0
    for meeting_id, change in changes.items():
        queued += _queue_for(meeting_id, change)
    if queued:
        session.info[QUEUED] = True


@sa_event.listens_for(Session, "after_commit")
def _send_invitations(session):
    if session.info.pop(QUEUED, False) and has_app_context():
        send_queued_soon()


@sa_event.listens_for(Session, "after_soft_rollback")
def _forget(session, previous_transaction):
    session.info.pop(NOTES, None)
    session.info.pop(QUEUED, None)


def _accounts(organisation_id: int, members) -> list[tuple[CoalitionMember, User]]:
    """The attendees who have an account in the meeting's organisation (matched by address)."""
    emails = {member.email.lower(): member for member in members if member.email}
    if not emails:
        return []
    users = db.session.scalars(select(User).join(Membership).where(
        Membership.organisation_id == organisation_id, User.active.is_(True), func.lower(User.email).in_(emails)))
    return [(emails[user.email.lower()], user) for user in users]


def _past(organisation_id: int, held_on: date) -> bool:
    """Whether the meeting's day is over where the organisation is: nobody is invited to the past (an import
    of earlier meetings sends nothing)."""
    organisation = db.session.get(Organisation, organisation_id)
    return organisation is None or held_on < local_date(utcnow(), organisation.time_zone)


def _queue_for(meeting_id: int, change: Change) -> int:
    if change.cancelled is not None:
        invitation = change.cancelled
        if _past(invitation.organisation_id, invitation.held_on):
            return 0
        members = db.session.scalars(select(CoalitionMember).where(
            CoalitionMember.email.in_([email for _name, email in invitation.attendees])))
        return _queue(invitation, _accounts(invitation.organisation_id, members))
    meeting = db.session.get(SteeringMeeting, meeting_id)
    if meeting is None or _past(meeting.organisation_id, meeting.held_on):
        return 0
    queued = 0
    everyone = change.new or change.moved
    invited = [m for m in meeting.attendees if everyone or m.id in change.joined]
    if invited:
        request = _snapshot(meeting, "REQUEST", meeting_sequence(meeting), meeting.attendees)
        queued += _queue(request, _accounts(meeting.organisation_id, invited))
    if change.left:
        gone = db.session.scalars(select(CoalitionMember).where(CoalitionMember.id.in_(change.left))).all()
        # For those who left, the meeting is off: a cancellation that outranks the request they had.
        cancel = _snapshot(meeting, "CANCEL", meeting_sequence(meeting) + 1, gone)
        queued += _queue(cancel, _accounts(meeting.organisation_id, gone))
    return queued


def _queue(invitation: Invitation, accounts: list[tuple[CoalitionMember, User]]) -> int:
    parameters = asdict(invitation)
    parameters["held_on"] = invitation.held_on.isoformat()
    parameters["attendees"] = [list(pair) for pair in invitation.attendees]
    parameters["agenda"] = list(invitation.agenda)
    for _member, user in accounts:
        queue_mail(KIND, {"user_id": user.id, "invitation": parameters})
    return len(accounts)


@mail_kind(KIND)
def invitation_mail(parameters: dict, now: datetime) -> Mail | None:
    """The invitation (or cancellation) for one attendee, in their language, with the `.ics` both attached and
    as the message's calendar part, so mail programs offer to add it."""
    user = db.session.get(User, parameters["user_id"])
    given = dict(parameters["invitation"])
    organisation = db.session.get(Organisation, given["organisation_id"])
    if user is None or not user.active or organisation is None:
        return None
    given["held_on"] = date.fromisoformat(given["held_on"])
    given["attendees"] = tuple(tuple(pair) for pair in given["attendees"])
    given["agenda"] = tuple(given["agenda"])
    invitation = Invitation(**given)
    language = language_for(user, organisation)
    cancelled = invitation.method == "CANCEL"
    with in_language(language):
        ics = invitation_calendar(invitation, organisation, now)
        text, html = render_mail("meeting_invitation", language, user=user, organisation=organisation,
                                 invitation=invitation, cancelled=cancelled)
        subject = (_("Cancelled: %(title)s on %(day)s", title=invitation.title, day=format_day(invitation.held_on))
                   if cancelled else
                   _("Invitation: %(title)s on %(day)s", title=invitation.title, day=format_day(invitation.held_on)))
    attachment = Attachment("meeting.ics", ics, "text", "calendar", params={"method": invitation.method})
    return Mail(user.email, subject, text, html, attachments=[attachment],
                headers={"Auto-Submitted": "auto-generated"})
