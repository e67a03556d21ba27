"""Benefit estimates of an initiative and the amounts it actually realised."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.database import ExactDecimal, Money, Versioned, choice_label, one_of
from cxroadmap.extensions import db
from cxroadmap.initiatives.models import InitiativeOwned
from cxroadmap.timeutil import utcnow


class BenefitEstimate(Versioned, InitiativeOwned, db.Model):
    __audit_name__ = "Benefit estimate"
    __table_args__ = (
        one_of("kind", BENEFIT_KINDS.keys, "kind_known"),
        CheckConstraint("ramp_months >= 0", name="ramp_not_negative"),
    )

    initiative_id: Mapped[int] = mapped_column(ForeignKey("initiative.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(Text, default="")
    # Drivers: volume × rate × unit value gives the annual amount; without them the amount is given directly.
    volume: Mapped[Decimal | None] = mapped_column(ExactDecimal(16, 4))
    rate: Mapped[Decimal | None] = mapped_column(ExactDecimal(10, 6))
    unit_value: Mapped[Decimal | None] = mapped_column(Money())
    annual_amount: Mapped[Decimal] = mapped_column(Money())
    confidence: Mapped[Decimal] = mapped_column(ExactDecimal(5, 4), default=Decimal("1"))
    starts_on: Mapped[date | None]
    ramp_months: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    kind_label = choice_label(BENEFIT_KINDS, "kind")

    @property
    def has_drivers(self) -> bool:
        return self.volume is not None


class BenefitActual(db.Model):
    """An amount a benefit estimate actually realised in one month."""

    __organisation_path__ = "benefit"
    __audit_name__ = "Realised benefit"
    __table_args__ = (UniqueConstraint("benefit_id", "month", name="uq_benefit_actual_month"),)

    benefit_id: Mapped[int] = mapped_column(ForeignKey("benefit_estimate.id", ondelete="CASCADE"), index=True)
    month: Mapped[date]  # the first day of the month it was realised in
    amount: Mapped[Decimal] = mapped_column(Money())
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    benefit: Mapped[BenefitEstimate] = relationship()
