"""Sending invitations by the background work, never inside a request: each round takes the invitations that are
due (in batches), checks the suppression list once more, and queues their mails; one reminder goes, after the
survey's number of days, to those who have not answered. The mails are made in the contact's language."""

from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cxroadmap.extensions import db
from cxroadmap.i18n import _, in_language, ngettext
from cxroadmap.mail import Mail, absolute_url, mail_kind, queue_mail, render_mail
from cxroadmap.organisations.models import Organisation
from cxroadmap.scheduler import work_log
from cxroadmap.surveys.invitations import services
from cxroadmap.surveys.invitations.models import DEFAULT_REMINDER_DAYS, SurveyInvitation, SurveyInviting
from cxroadmap.surveys.models import Survey
from cxroadmap.timeutil import aware

BATCH = 200  # invitations (and reminders) one round takes; the rest wait for the next round


def batch_size() -> int:
    return int(current_app.config.get("SURVEY_INVITATION_BATCH", BATCH))


def _due_invitations(now: datetime, limit: int | None):
    query = (select(SurveyInvitation).join(Survey, Survey.id == SurveyInvitation.survey_id)
             .where(SurveyInvitation.state == "queued", SurveyInvitation.due_at <= now, Survey.state == "live")
             .order_by(SurveyInvitation.due_at, SurveyInvitation.id))
    return query.limit(limit) if limit else query


def _reminders(now: datetime, limit: int | None) -> list[SurveyInvitation]:
    """The invitations sent, not answered and not reminded, whose survey's days to wait have passed."""
    days = func.coalesce(SurveyInviting.reminder_days, DEFAULT_REMINDER_DAYS)
    query = (select(SurveyInvitation, days).join(Survey, Survey.id == SurveyInvitation.survey_id)
             .outerjoin(SurveyInviting, SurveyInviting.survey_id == SurveyInvitation.survey_id)
             .where(SurveyInvitation.state == "sent", SurveyInvitation.answered_at.is_(None),
                    SurveyInvitation.reminded_at.is_(None), SurveyInvitation.sent_at <= now - timedelta(days=1),
                    Survey.state == "live")
             .order_by(SurveyInvitation.sent_at, SurveyInvitation.id))
    # The days differ per survey: compared here, on the candidates sent at least a day ago.
    due = [invitation for invitation, wait in db.session.execute(query).all()
           if aware(invitation.sent_at) <= now - timedelta(days=wait)]
    return due[:limit] if limit else due


def send_invitations(now: datetime) -> int:
    """Queue the mails of the invitations due and of the reminders due, a batch of each; how many. Commits."""
    sent = 0
    for invitation in db.session.scalars(_due_invitations(now, batch_size())).all():
        if services.suppressed(invitation.organisation_id, invitation.email):
            invitation.state = "suppressed"
            continue
        invitation.state, invitation.sent_at = "sent", now
        queue_mail("survey_invitation", {"invitation_id": invitation.id, "reminder": False})
        sent += 1
    for invitation in _reminders(now, batch_size()):
        invitation.reminded_at = now
        queue_mail("survey_invitation", {"invitation_id": invitation.id, "reminder": True})
        sent += 1
    db.session.commit()
    if sent:
        work_log.info("queued %s survey invitation mails", sent)
    return sent


def invitations_due(now: datetime) -> int:
    waiting = db.session.scalar(select(func.count()).select_from(_due_invitations(now, None).subquery())) or 0
    return waiting + len(_reminders(now, None))


def said(count: int) -> str:
    return ngettext("Queued %(num)d survey invitation.", "Queued %(num)d survey invitations and reminders.", count)


@mail_kind("survey_invitation")
def invitation_mail(parameters: dict, now: datetime) -> Mail | None:
    """The invitation (or its reminder) in the contact's language; none when the invitation was erased, the
    address unsubscribed meanwhile, or the reminder's contact answered."""
    invitation = db.session.scalar(select(SurveyInvitation).where(
        SurveyInvitation.id == int(parameters["invitation_id"])).options(joinedload(SurveyInvitation.survey)))
    reminder = bool(parameters.get("reminder"))
    if invitation is None or services.suppressed(invitation.organisation_id, invitation.email):
        return None
    if reminder and invitation.answered_at is not None:
        return None
    organisation = db.session.get_one(Organisation, invitation.organisation_id)
    survey = invitation.survey
    link = absolute_url("invited.answer", code=survey.code, token=invitation.token)
    unsubscribe = absolute_url("invited.unsubscribe", code=survey.code, token=invitation.token)
    language = invitation.language
    text, html = render_mail("survey_invitation", language, invitation=invitation, survey=survey,
                             organisation=organisation, link=link, unsubscribe=unsubscribe, reminder=reminder,
                             title=survey.title_in(language), question=survey.current.text("score", language))
    with in_language(language):
        subject = (_("Reminder: %(organisation)s would like to hear from you", organisation=organisation.name)
                   if reminder else _("%(organisation)s would like to hear from you", organisation=organisation.name))
    return Mail(invitation.email, subject, text, html,
                headers={"List-Unsubscribe": f"<{unsubscribe}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"})
