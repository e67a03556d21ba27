"""Initiatives: the work that answers a readiness question, with its owner, state and costs."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, declared_attr, mapped_column, relationship

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.database import Money, Versioned, choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.initiatives.states import HEALTHS, OPEN_STATUSES, STATUSES
from cxroadmap.organisations.models import OrganisationOwned
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import utcnow


class Initiative(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "Initiative"
    __change_unit__ = True  # a write to it or to anything of it is logged as its change (organisations.data_version)
    __table_args__ = (
        UniqueConstraint("organisation_id", "ref", name="uq_initiative_ref"),
        one_of("readiness_question", QUESTIONS.keys, "question_known"),
        one_of("status", STATUSES.keys, "status_known"),
        one_of("health", HEALTHS.keys, "health_known"),
        CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),
    )

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

    status_label = choice_label(STATUSES, "status")
    health_label = choice_label(HEALTHS, "health")
    question_label = choice_label(QUESTIONS, "readiness_question")
    target_stage_label = choice_label(STAGES, "target_stage")

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def is_overdue(self, on: date) -> bool:
        return self.is_open and not self.archived and self.due_date is not None and self.due_date < on


class InitiativeOwned:
    """A table whose every row belongs to one initiative (its status updates, milestones, dependencies, benefit
    estimates, KPIs) by its `initiative_id`, which each declares where it stands among its columns: the way to
    the initiative, and through it to the organisation."""

    __organisation_path__ = "initiative"

    @declared_attr
    def initiative(cls) -> Mapped[Initiative]:
        return relationship(foreign_keys=[cls.initiative_id])


class StatusUpdate(InitiativeOwned, db.Model):
    """One step in an initiative's history: where it stood, as who said, and why."""

    __audit_name__ = "Status update"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_range"),)

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    posted_on: Mapped[date]
    posted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    author: Mapped[str] = mapped_column(String(254), default="")
    status: Mapped[str] = mapped_column(String(20))
    health: Mapped[str] = mapped_column(String(10))
    progress: Mapped[int]
    note: Mapped[str] = mapped_column(Text, default="")

    status_label = choice_label(STATUSES, "status")
    health_label = choice_label(HEALTHS, "health")


class Milestone(InitiativeOwned, db.Model):
    """A point an initiative commits to; moving it later is a slip, and slips are kept."""

    __audit_name__ = "Milestone"

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    due_on: Mapped[date]
    original_due_on: Mapped[date]
    done_on: Mapped[date | None]
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    slips: Mapped[list["MilestoneSlip"]] = relationship(back_populates="milestone", cascade="all, delete-orphan",
                                                        order_by="MilestoneSlip.id", passive_deletes=True)

    def is_overdue(self, on: date) -> bool:
        return self.done_on is None and self.due_on < on

    def kept_original_date(self) -> bool:
        return self.done_on is not None and self.done_on <= self.original_due_on

    @property
    def slip_count(self) -> int:
        """Moves that put the milestone later than its original date (a move earlier is not a slip)."""
        return sum(1 for slip in self.slips if slip.to_date > self.original_due_on)

    @property
    def days_late(self) -> int:
        """How far the due date now lies after the original one: the slips' net effect, never negative."""
        return max((self.due_on - self.original_due_on).days, 0)


class MilestoneSlip(db.Model):
    __organisation_path__ = "milestone"

    milestone_id: Mapped[int] = mapped_column(ForeignKey("milestone.id", ondelete="CASCADE"), index=True)
    moved_on: Mapped[date]
    from_date: Mapped[date]
    to_date: Mapped[date]
    author: Mapped[str] = mapped_column(String(254), default="")

    milestone: Mapped[Milestone] = relationship(back_populates="slips")

    @property
    def days(self) -> int:
        return (self.to_date - self.from_date).days


class Dependency(InitiativeOwned, db.Model):
    """An initiative that cannot finish (or start) well before another one has."""

    __audit_name__ = "Dependency"
    __table_args__ = (
        UniqueConstraint("initiative_id", "depends_on_id", name="uq_dependency_pair"),
        CheckConstraint("initiative_id <> depends_on_id", name="not_itself"),
    )

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    depends_on_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)

    depends_on: Mapped[Initiative] = relationship(foreign_keys=[depends_on_id])

    @property
    def in_conflict(self) -> bool:
        """The initiative it waits for is due after this one starts."""
        start, needed = self.initiative.start_date, self.depends_on.due_date
        return start is not None and needed is not None and needed > start
