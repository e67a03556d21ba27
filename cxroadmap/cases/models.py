"""Follow-up cases: an unhappy customer's answer to act on, and the organisation's rule for opening them."""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.cases.kinds import CASE_STATUSES, CLOSED
from cxroadmap.coalition.models import CoalitionMember, Team
from cxroadmap.database import Versioned, choice_label
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import Touchpoint
from cxroadmap.organisations.models import Organisation, OrganisationOwned
from cxroadmap.timeutil import aware, utcnow


class CaseSettings(Versioned, db.Model):
    """The organisation's alert rule, service level and root-cause list; none kept means the defaults."""

    __audit_name__ = "Follow-up settings"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), primary_key=True)
    # An answer at or below each threshold opens a case; None: that measure opens none.
    nps_at_most: Mapped[int | None] = mapped_column(default=6)
    csat_at_most: Mapped[int | None] = mapped_column(default=2)
    ces_at_most: Mapped[int | None] = mapped_column(default=3)
    gap_at_most: Mapped[int | None] = mapped_column(default=-2)
    service_days: Mapped[int] = mapped_column(default=2)
    # [{"key": …, "en": …, "nl": …}, …]: the organisation's own root causes.
    root_causes: Mapped[list] = mapped_column(JSON, default=list)
    # A short message to the customer when their case is resolved (off unless chosen), one template per language.
    tells_customer: Mapped[bool] = mapped_column(default=False)
    customer_message_en: Mapped[str] = mapped_column(Text, default="")
    customer_message_nl: Mapped[str] = mapped_column(Text, default="")

    @property
    def id(self) -> int:
        """How the audit trail names the row: there is one per organisation."""
        return self.organisation_id

    @property
    def title(self) -> str:
        return "Follow-up settings"


class Case(Versioned, OrganisationOwned, db.Model):
    """One answer that met the alert rule, followed up by the team that owns its touchpoint."""

    __tablename__ = "follow_up_case"
    __audit_name__ = "Follow-up case"
    __table_args__ = (Index("ix_follow_up_case_open", "organisation_id", "status", "due_at"),)

    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="SET NULL"), index=True)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("coalition_member.id", ondelete="SET NULL"), index=True)
    initiative_id: Mapped[int | None] = mapped_column(ForeignKey("initiative.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    # What the customer said.
    source: Mapped[str] = mapped_column(String(20), default="survey")
    answer_id: Mapped[int | None]
    survey_title: Mapped[str] = mapped_column(String(200), default="")
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    measure: Mapped[str | None] = mapped_column(String(10))
    score: Mapped[int | None]
    expectation: Mapped[int | None]
    perception: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")
    language: Mapped[str] = mapped_column(String(5), default="en")
    contact_name: Mapped[str | None] = mapped_column(String(200))
    contact: Mapped[str | None] = mapped_column(String(254))
    # What the team did.
    outcome: Mapped[str] = mapped_column(Text, default="")
    root_cause: Mapped[str] = mapped_column(String(64), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    due_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    followed_up_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    customer_told_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))  # the message was sent

    organisation: Mapped[Organisation] = relationship()
    touchpoint: Mapped[Touchpoint | None] = relationship()
    team: Mapped[Team | None] = relationship()
    owner: Mapped[CoalitionMember | None] = relationship()
    initiative: Mapped[Initiative | None] = relationship()

    status_label = choice_label(CASE_STATUSES, "status")

    @property
    def title(self) -> str:
        """How the audit trail names the case."""
        return f"#{self.id}"

    @property
    def gap(self) -> int | None:
        if self.expectation is None or self.perception is None:
            return None
        return self.perception - self.expectation

    @property
    def closed(self) -> bool:
        return self.status in CLOSED

    def overdue(self, now: datetime) -> bool:
        """Nobody followed it up and its service level has passed."""
        return self.status == "new" and aware(self.due_at) < now
