"""KPIs, their dated readings, the survey comments kept beside them, the initiatives meant to move them."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.database import ExactDecimal, choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import InitiativeOwned
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures import calc
from cxroadmap.measures.kinds import DIRECTIONS, KPI_KINDS, MEASURES
from cxroadmap.organisations.models import OrganisationOwned, Versioned
from cxroadmap.timeutil import utcnow


def KpiValue():  # noqa: N802 - reads like the other column types
    """A KPI's figures: up to 12 digits before the point, 4 after (NPS −100…100, days, amounts, counts)."""
    return ExactDecimal(16, 4)


class Kpi(Versioned, OrganisationOwned, db.Model):
    __audit_name__ = "KPI"
    __table_args__ = (
        UniqueConstraint("organisation_id", "code", name="uq_kpi_code"),
        one_of("kind", KPI_KINDS.keys, "kind_known"),
        one_of("measure", MEASURES.keys, "measure_known"),
        one_of("direction", DIRECTIONS.keys, "direction_known"),
    )

    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(10))
    measure: Mapped[str] = mapped_column(String(20))
    unit: Mapped[str] = mapped_column(String(30), default="")
    direction: Mapped[str] = mapped_column(String(4), default="up")
    baseline_value: Mapped[Decimal] = mapped_column(KpiValue())
    baseline_on: Mapped[date]
    target_value: Mapped[Decimal] = mapped_column(KpiValue())
    target_on: Mapped[date]
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("coalition_member.id", ondelete="SET NULL"), index=True)
    # The touchpoint it measures, if one; its journey stage is the touchpoint's.
    touchpoint_id: Mapped[int | None] = mapped_column(ForeignKey("touchpoint.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    owner: Mapped[CoalitionMember | None] = relationship()
    touchpoint: Mapped[Touchpoint | None] = relationship()

    kind_label = choice_label(KPI_KINDS, "kind")
    measure_label = choice_label(MEASURES, "measure")
    direction_label = choice_label(DIRECTIONS, "direction")

    @property
    def line(self) -> calc.Line:
        return calc.Line(self.baseline_value, self.baseline_on, self.target_value, self.target_on, self.direction)

    @property
    def measure_description(self) -> str:
        return str(MEASURES[self.measure].description) if self.measure in MEASURES else ""

    @property
    def is_survey(self) -> bool:
        return self.measure in calc.SCALES


class KpiReading(db.Model):
    """What a KPI measured on one day; a survey reading carries its number of respondents."""

    __organisation_path__ = "kpi"
    __audit_name__ = "KPI reading"
    __table_args__ = (
        UniqueConstraint("kpi_id", "taken_on", name="uq_kpi_reading_day"),
        CheckConstraint("respondents IS NULL OR respondents >= 0", name="respondents_not_negative"),
    )

    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    taken_on: Mapped[date]
    value: Mapped[Decimal] = mapped_column(KpiValue())
    respondents: Mapped[int | None]
    note: Mapped[str] = mapped_column(Text, default="")
    created_by: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    kpi: Mapped[Kpi] = relationship()


class SurveyComment(db.Model):
    """An answer with a comment, kept beside its reading only when the organisation keeps survey comments."""

    __organisation_path__ = "reading"

    reading_id: Mapped[int] = mapped_column(ForeignKey("kpi_reading.id", ondelete="CASCADE"), index=True)
    score: Mapped[int]
    answered_on: Mapped[date | None]
    touchpoint: Mapped[str] = mapped_column(String(200), default="")
    comment: Mapped[str] = mapped_column(Text)

    reading: Mapped[KpiReading] = relationship()


class InitiativeKpi(InitiativeOwned, db.Model):
    """An initiative is meant to move a KPI by about this much (in the KPI's unit, signed)."""

    __audit_name__ = "KPI of an initiative"
    __table_args__ = (UniqueConstraint("initiative_id", "kpi_id", name="uq_initiative_kpi_pair"),)

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpi.id", ondelete="CASCADE"), index=True)
    expected_change: Mapped[Decimal | None] = mapped_column(KpiValue())

    kpi: Mapped[Kpi] = relationship()
