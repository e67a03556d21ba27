"""Inviting contacts to a survey: who is asked and who is skipped (the quiet period, the suppression list), the
survey's sending settings, the figures its page shows, and the person's invitations erased or expired."""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, func, or_, select

from cxroadmap.audit.services import record
from cxroadmap.emails import masked, normal_email
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.organisations.models import Organisation, hold
from cxroadmap.surveys.invitations.contacts import Contact
from cxroadmap.surveys.invitations.models import SurveyInvitation, SurveyInviting, SurveySuppression
from cxroadmap.surveys.models import Survey, SurveyPrivacy
from cxroadmap.timeutil import utcnow
from cxroadmap.validation import Problems

DEFAULT_QUIET_DAYS = 30


# -- settings ---------------------------------------------------------------------------------------------

def quiet_days(organisation_id: int) -> int:
    """How many days after one invitation nobody of the organisation's contacts is asked again."""
    days = db.session.scalar(select(SurveyPrivacy.quiet_days).where(SurveyPrivacy.organisation_id == organisation_id))
    return DEFAULT_QUIET_DAYS if days is None else days


def inviting(survey: Survey) -> SurveyInviting:
    """The survey's sending settings (the defaults until someone saves them; not added to the session)."""
    found = db.session.get(SurveyInviting, survey.id)
    return found or SurveyInviting(survey_id=survey.id, reminder_days=3, delay_minutes=120)


def set_inviting(survey: Survey, reminder_days: int, delay_minutes: int) -> SurveyInviting:
    problems = Problems()
    problems.require(isinstance(reminder_days, int) and 1 <= reminder_days <= 60, "reminder_days",
                     _("Remind after 1 to 60 days."))
    problems.require(isinstance(delay_minutes, int) and 0 <= delay_minutes <= 20160, "delay_minutes",
                     _("Wait 0 to 20,160 minutes (two weeks)."))
    problems.raise_if_any()
    settings = db.session.get(SurveyInviting, survey.id)
    if settings is None:
        settings = SurveyInviting(survey_id=survey.id)
        db.session.add(settings)
    settings.reminder_days, settings.delay_minutes = reminder_days, delay_minutes
    db.session.flush()
    return settings


# -- who is asked -----------------------------------------------------------------------------------------

def suppressed(organisation_id: int, email: str) -> bool:
    return db.session.scalar(select(SurveySuppression.id).where(
        SurveySuppression.organisation_id == organisation_id, SurveySuppression.email == email)) is not None


def asked_recently(organisation_id: int, emails: list[str], now: datetime) -> set[str]:
    """Which of these addresses were asked (sent, or waiting to be sent) within the organisation's quiet period."""
    since = now - timedelta(days=quiet_days(organisation_id))
    found = set()
    for start in range(0, len(emails), 500):
        found.update(db.session.scalars(select(SurveyInvitation.email).where(
            SurveyInvitation.organisation_id == organisation_id,
            SurveyInvitation.email.in_(emails[start:start + 500]),
            or_((SurveyInvitation.state == "queued") & (SurveyInvitation.created_at >= since),
                (SurveyInvitation.state == "sent") & (SurveyInvitation.sent_at >= since)))))
    return found


def _suppressed_among(organisation_id: int, emails: list[str]) -> set[str]:
    found = set()
    for start in range(0, len(emails), 500):
        found.update(db.session.scalars(select(SurveySuppression.email).where(
            SurveySuppression.organisation_id == organisation_id,
            SurveySuppression.email.in_(emails[start:start + 500]))))
    return found


@dataclass
class Invited:
    """What an upload or an API call did: the invitations made, and how many contacts were skipped and why."""

    invitations: list[SurveyInvitation] = field(default_factory=list)
    queued: int = 0
    quiet: int = 0
    suppressed: int = 0


def invite(survey: Survey, contacts: list[Contact], source: str, due_at: datetime,
           now: datetime | None = None) -> Invited:
    """One invitation for each contact, to be sent at due_at by the background work; a contact asked within the
    quiet period or on the suppression list gets one that is never sent, so the page can count it. Holds the
    organisation, so two uploads at once cannot both ask the same person. Flushes, never commits."""
    now = now or utcnow()
    if survey.state != "live":
        raise DomainError({"contacts": _("Put the survey live first: invitations go to live surveys only.")})
    hold(db.session.get_one(Organisation, survey.organisation_id))
    emails = [contact.email for contact in contacts]
    recent = asked_recently(survey.organisation_id, emails, now)
    blocked = _suppressed_among(survey.organisation_id, emails)
    done = Invited()
    for contact in contacts:
        state = "suppressed" if contact.email in blocked else "quiet" if contact.email in recent else "queued"
        invitation = SurveyInvitation(
            organisation_id=survey.organisation_id, survey_id=survey.id, token=secrets.token_urlsafe(24),
            email=contact.email, name=contact.name, language=contact.language, hidden=dict(contact.hidden),
            source=source, state=state, created_at=now, due_at=due_at)
        db.session.add(invitation)
        done.invitations.append(invitation)
        setattr(done, state, getattr(done, state) + 1)
    db.session.flush()
    return done


def upload_contacts(survey: Survey, contacts: list[Contact], now: datetime | None = None) -> Invited:
    """Invite the contacts of an uploaded list, sent by the background work's next round; in the audit trail."""
    now = now or utcnow()
    done = invite(survey, contacts, "upload", now, now)
    record("invitations_uploaded", db.session.get(Organisation, survey.organisation_id), object_type="Survey",
           object_id=survey.id, object_label=survey.title,
           changes={"queued": done.queued, "quiet": done.quiet, "suppressed": done.suppressed})
    return done


def invite_one(survey: Survey, contact: Contact, now: datetime | None = None) -> SurveyInvitation:
    """One contact sent by another system: mailed after the survey's delay."""
    now = now or utcnow()
    due_at = now + timedelta(minutes=inviting(survey).delay_minutes)
    return invite(survey, [contact], "api", due_at, now).invitations[0]


# -- the suppression list ---------------------------------------------------------------------------------

def unsubscribe(invitation: SurveyInvitation) -> bool:
    """Put the invitation's address on its organisation's suppression list (once); True when it was not yet.
    Holds the organisation: two clicks at once add the address once."""
    hold(db.session.get_one(Organisation, invitation.organisation_id))
    if suppressed(invitation.organisation_id, invitation.email):
        return False
    db.session.add(SurveySuppression(organisation_id=invitation.organisation_id, email=invitation.email))
    db.session.flush()
    record("address_unsubscribed", db.session.get(Organisation, invitation.organisation_id),
           object_type="Survey invitations", object_label=masked(invitation.email))
    return True


def suppression_list(organisation: Organisation) -> list[SurveySuppression]:
    return list(db.session.scalars(SurveySuppression.scoped_to(organisation).order_by(SurveySuppression.email)))


def remove_suppression(organisation: Organisation, suppression_id: int) -> SurveySuppression:
    """Take an address off the list (the person asked to be asked again); in the audit trail."""
    found = db.session.scalar(SurveySuppression.scoped_to(organisation).where(
        SurveySuppression.id == suppression_id))
    if found is None:
        raise NotInOrganisation({"suppression": _("That address is not on the list.")})
    db.session.delete(found)
    db.session.flush()
    record("suppression_removed", organisation, object_type="Survey invitations", object_label=masked(found.email))
    return found


# -- the figures of a survey's invitations ---------------------------------------------------------------

@dataclass(frozen=True)
class InvitationFigures:
    queued: int
    sent: int
    reminded: int
    answered: int
    quiet: int
    suppressed: int

    @property
    def response_rate(self) -> int | None:
        """Answered of sent, in whole per cent; None before any was sent."""
        return round(100 * self.answered / self.sent) if self.sent else None


def invitation_figures(survey: Survey) -> InvitationFigures:
    """Counted in one query."""
    count = func.count()
    row = db.session.execute(select(
        count.filter(SurveyInvitation.state == "queued"), count.filter(SurveyInvitation.state == "sent"),
        count.filter(SurveyInvitation.reminded_at.is_not(None)),
        count.filter(SurveyInvitation.answered_at.is_not(None)), count.filter(SurveyInvitation.state == "quiet"),
        count.filter(SurveyInvitation.state == "suppressed")).where(SurveyInvitation.survey_id == survey.id)).one()
    return InvitationFigures(*(value or 0 for value in row))


# -- privacy ----------------------------------------------------------------------------------------------

def erase_invitations(organisation: Organisation, email: str) -> int:
    """Delete the person's invitations of the organisation (their suppression entry stays: it is their wish)."""
    result = db.session.execute(delete(SurveyInvitation).where(
        SurveyInvitation.organisation_id == organisation.id, SurveyInvitation.email == normal_email(email)))
    return result.rowcount or 0


def _expired(organisation_id: int, first_kept: date):
    before = datetime.combine(first_kept, time.min, tzinfo=UTC)
    return (SurveyInvitation.organisation_id == organisation_id) & (SurveyInvitation.created_at < before)


def expired_invitations(organisation_id: int, first_kept: date) -> int:
    """How many of the organisation's invitations were made before the first day its answers are kept."""
    return db.session.scalar(select(func.count()).where(_expired(organisation_id, first_kept))) or 0


def delete_expired_invitations(organisation_id: int, first_kept: date) -> int:
    """Delete the invitations made before the first day kept, as their answers are: retention covers them too."""
    return db.session.execute(delete(SurveyInvitation).where(_expired(organisation_id, first_kept))).rowcount or 0
