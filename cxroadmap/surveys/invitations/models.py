"""Personal invitations to a survey: each contact's invitation with its single-use link, the survey's sending
settings, and the organisation's suppression list (the addresses that asked to hear no more)."""

from datetime import datetime

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.choices import Choice, Choices
from cxroadmap.database import choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.i18n import _l
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.surveys.models import Survey, SurveyAnswer
from cxroadmap.timeutil import utcnow

# What became of an invitation: waiting for its moment, mailed, or never sent and why.
INVITATION_STATES = Choices(
    Choice("queued", _l("waiting to be sent")),
    Choice("sent", _l("sent")),
    Choice("quiet", _l("not sent: asked within the quiet period")),
    Choice("suppressed", _l("not sent: unsubscribed")),
)
SOURCES = Choices(Choice("upload", _l("contact list")), Choice("api", _l("API")))
DEFAULT_REMINDER_DAYS = 3
DEFAULT_DELAY_MINUTES = 120


class SurveyInvitation(OrganisationOwned, db.Model):
    """One contact asked to answer one survey through a personal link (/f/<code>/i/<token>): who, in which
    language, with which hidden fields, and when it was sent, reminded and answered."""

    __table_args__ = (
        one_of("state", INVITATION_STATES.keys, "state_known"),
        one_of("source", SOURCES.keys, "source_known"),
        Index("ix_survey_invitation_due", "state", "due_at"),
        Index("ix_survey_invitation_organisation_email", "organisation_id", "email"),
    )

    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), index=True)
    # The personal link's secret: random, never reused.
    token: Mapped[str] = mapped_column(String(43), unique=True)
    email: Mapped[str] = mapped_column(String(254))  # in its normal form (emails.normal_email)
    name: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(2), default="en")
    hidden: Mapped[dict] = mapped_column(JSON, default=dict)
    source: Mapped[str] = mapped_column(String(6), default="upload")
    state: Mapped[str] = mapped_column(String(10), default="queued")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answer_id: Mapped[int | None] = mapped_column(ForeignKey("survey_answer.id", ondelete="SET NULL"), index=True)

    survey: Mapped[Survey] = relationship()
    answer: Mapped[SurveyAnswer | None] = relationship()

    state_label = choice_label(INVITATION_STATES, "state")


class SurveyInviting(db.Model):
    """How one survey's invitations are sent: the reminder after so many days, the API's delay in minutes."""

    __organisation_path__ = "survey"
    __table_args__ = (
        CheckConstraint("reminder_days >= 1 AND reminder_days <= 60", name="reminder_days_range"),
        CheckConstraint("delay_minutes >= 0 AND delay_minutes <= 20160", name="delay_minutes_range"),
    )

    id = None  # one row a survey, keyed by it
    survey_id: Mapped[int] = mapped_column(ForeignKey("survey.id", ondelete="CASCADE"), primary_key=True)
    reminder_days: Mapped[int] = mapped_column(default=DEFAULT_REMINDER_DAYS)
    delay_minutes: Mapped[int] = mapped_column(default=DEFAULT_DELAY_MINUTES)

    survey: Mapped[Survey] = relationship()


class SurveySuppression(OrganisationOwned, db.Model):
    """An address that asked to be asked no more: honoured for every survey of the organisation. Kept when the
    person's answers and invitations are erased, since it is their wish."""

    __table_args__ = (UniqueConstraint("organisation_id", "email", name="uq_survey_suppression_email"),)

    email: Mapped[str] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
