"""Assessment rounds, their raters and what each rater answered."""

from datetime import date, datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation, OrganisationOwned
from cxroadmap.timeutil import utcnow


class AssessmentRound(OrganisationOwned, db.Model):
    __audit_name__ = "Assessment round"

    title: Mapped[str] = mapped_column(String(200))
    opened_on: Mapped[date]
    closes_on: Mapped[date]
    # Set when steering closes the round before its date; the links stop working from then.
    closed_on: Mapped[date | None]
    opened_by: Mapped[str] = mapped_column(String(254), default="")
    confirmed_on: Mapped[date | None]
    confirmed_by: Mapped[str] = mapped_column(String(254), default="")
    confirmed_stage: Mapped[str | None] = mapped_column(String(20))
    confirmed_scores: Mapped[dict] = mapped_column(JSON, default=dict)
    overrule_reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    organisation: Mapped[Organisation] = relationship()
    raters: Mapped[list["AssessmentRater"]] = relationship(
        back_populates="round", order_by="AssessmentRater.id", cascade="all, delete-orphan", passive_deletes=True)

    @property
    def close_date(self) -> date:
        """The day the round closed or closes: its last day of answering."""
        return self.closed_on or self.closes_on

    def is_open(self, on: date) -> bool:
        return self.closed_on is None and on <= self.closes_on

    @property
    def confirmed(self) -> bool:
        return self.confirmed_on is not None


class AssessmentRater(OrganisationOwned, db.Model):
    __audit_name__ = "Assessment rater"
    __table_args__ = (UniqueConstraint("round_id", "email", name="uq_assessment_rater_email"),)

    round_id: Mapped[int] = mapped_column(ForeignKey("assessment_round.id", ondelete="CASCADE"), index=True)
    member_id: Mapped[int | None] = mapped_column(ForeignKey("coalition_member.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(254))
    function: Mapped[str] = mapped_column(String(100), default="")
    # The link's token is never stored: only its SHA-256, and the random salt it is derived from.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    token_salt: Mapped[str] = mapped_column(String(64))
    language: Mapped[str | None] = mapped_column(String(5))
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    round: Mapped[AssessmentRound] = relationship(back_populates="raters")
    response: Mapped["AssessmentResponse | None"] = relationship(
        back_populates="rater", cascade="all, delete-orphan", passive_deletes=True, uselist=False)

    @property
    def withdrawn(self) -> bool:
        return self.withdrawn_at is not None


class AssessmentResponse(db.Model):
    """A rater's answers. Deliberately not in the audit trail: the trail would tie answers to names."""

    __organisation_path__ = "rater"

    rater_id: Mapped[int] = mapped_column(ForeignKey("assessment_rater.id", ondelete="CASCADE"), unique=True)
    # item key -> value key ("mobilise", "3", "intentional", "dont_know"); unanswered items are absent.
    answers: Mapped[dict] = mapped_column(JSON, default=dict)
    comment: Mapped[str] = mapped_column(Text, default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    rater: Mapped[AssessmentRater] = relationship(back_populates="response")
