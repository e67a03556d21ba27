"""The customer journey: its ordered stages, the touchpoints in them, and their expectation/perception scores."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.coalition.models import Team
from cxroadmap.database import ExactDecimal, last_of
from cxroadmap.extensions import db
from cxroadmap.organisations.models import OrganisationOwned, Versioned
from cxroadmap.timeutil import utcnow


def Score():  # noqa: N802 - reads like the other column types
    """A score on the 1–7 scale, kept to two places (means of many answers are not whole numbers)."""
    return ExactDecimal(4, 2)


# Which initiatives work on which touchpoints. The initiatives area reads and writes it (it sits above the
# journey); the table lives here beside the touchpoint it points at, so removing a touchpoint removes its links.
initiative_touchpoint = Table(
    "initiative_touchpoint", db.metadata,
    Column("initiative_id", ForeignKey("initiative.id", ondelete="CASCADE"), primary_key=True),
    Column("touchpoint_id", ForeignKey("touchpoint.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class JourneyStage(Versioned, OrganisationOwned, db.Model):
    """One stage of the organisation's customer journey; `position` orders them from first to last."""

    __audit_name__ = "Journey stage"
    __table_args__ = (UniqueConstraint("organisation_id", "name", name="uq_journey_stage_name"),)

    name: Mapped[str] = mapped_column(String(100))
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    touchpoints: Mapped[list["Touchpoint"]] = relationship(
        back_populates="stage", order_by="(Touchpoint.position, Touchpoint.id)", passive_deletes=True)


class Touchpoint(Versioned, OrganisationOwned, db.Model):
    """A place where customers meet the organisation, owned by a team, perhaps a moment of truth."""

    __audit_name__ = "Touchpoint"
    __table_args__ = (UniqueConstraint("organisation_id", "key", name="uq_touchpoint_key"),)

    stage_id: Mapped[int] = mapped_column(ForeignKey("journey_stage.id", ondelete="CASCADE"), index=True)
    # Stable across renames: exports, KPIs and initiatives refer to the touchpoint by it.
    key: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    channel: Mapped[str] = mapped_column(String(100), default="")
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id", ondelete="SET NULL"), index=True)
    moment_of_truth: Mapped[bool] = mapped_column(default=False)
    position: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    stage: Mapped[JourneyStage] = relationship(back_populates="touchpoints")
    team: Mapped[Team | None] = relationship()
    scores: Mapped[list["TouchpointScore"]] = relationship(
        back_populates="touchpoint", order_by="(TouchpointScore.scored_on, TouchpointScore.id)",
        cascade="all, delete-orphan", passive_deletes=True)

    latest_score = last_of(
        "scores", "The score with the latest date (the later entry on the same day): the one that counts.")


class TouchpointScore(db.Model):
    """What customers expected of a touchpoint and how they found it, on one date, on the 1–7 scale."""

    __organisation_path__ = "touchpoint"
    __audit_name__ = "Touchpoint score"
    # The 1–7 range is the services' to keep: an exact decimal is stored differently per database, so a
    # CHECK on it could not read the same on both.
    __table_args__ = (CheckConstraint("respondents >= 1", name="respondents_positive"),)

    touchpoint_id: Mapped[int] = mapped_column(ForeignKey("touchpoint.id", ondelete="CASCADE"), index=True)
    scored_on: Mapped[date]
    expectation: Mapped[Decimal] = mapped_column(Score())
    perception: Mapped[Decimal] = mapped_column(Score())
    respondents: Mapped[int] = mapped_column(default=1)
    source: Mapped[str] = mapped_column(String(200), default="")
    recorded_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    touchpoint: Mapped[Touchpoint] = relationship(back_populates="scores")

    @property
    def gap(self) -> Decimal:
        return self.perception - self.expectation

    @property
    def title(self) -> str:
        """How the audit trail names the score."""
        return f"{self.touchpoint.name} {self.scored_on.isoformat()}"
