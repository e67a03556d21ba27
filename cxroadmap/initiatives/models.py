"""Initiatives: the work that answers a readiness question, with its owner, state and costs."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.database import Money
from cxroadmap.extensions import db
from cxroadmap.initiatives.states import HEALTHS, OPEN_STATUSES, STATUSES
from cxroadmap.maturity.stages import STAGES
from cxroadmap.organisations.models import OrganisationOwned, Versioned
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.timeutil import utcnow


def _one_of(column, choices) -> str:
    return f"{column} IN ({', '.join(repr(key) for key in choices.keys)})"


class Initiative(Versioned, OrganisationOwned, db.Model):
    __tablename__ = "initiative"
    __audit_name__ = "Initiative"
    __table_args__ = (
        UniqueConstraint("organisation_id", "ref", name="uq_initiative_ref"),
        CheckConstraint(_one_of("readiness_question", QUESTIONS), name="question_known"),
        CheckConstraint(_one_of("status", STATUSES), name="status_known"),
        CheckConstraint(_one_of("health", HEALTHS), name="health_known"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    ref: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    readiness_question: Mapped[str] = mapped_column(String(30))
    owner_id: Mapped[int | None] = mapped_column(
        ForeignKey("coalition_member.id", ondelete="SET NULL"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="proposed")
    health: Mapped[str] = mapped_column(String(10), default="green")
    progress: Mapped[int] = mapped_column(default=0)
    start_date: Mapped[date | None]
    due_date: Mapped[date | None]
    target_stage: Mapped[str | None] = mapped_column(String(20))
    one_off_cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    annual_running_cost: Mapped[Decimal] = mapped_column(Money(), default=Decimal("0.00"))
    archived: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[CoalitionMember | None] = relationship()

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, on: date) -> bool:
        return self.is_open and not self.archived and self.due_date is not None and self.due_date < on

    @property
    def status_label(self) -> str:
        return STATUSES.label(self.status)

    @property
    def health_label(self) -> str:
        return HEALTHS.label(self.health)

    @property
    def question_label(self) -> str:
        return QUESTIONS.label(self.readiness_question)

    @property
    def target_stage_label(self) -> str:
        return STAGES.label(self.target_stage)
