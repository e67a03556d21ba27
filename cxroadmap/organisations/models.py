"""The organisation, and the mixin every table of organisation data uses to stay scoped to one."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import DateTime, ForeignKey, Select, String, Text, select
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from cxroadmap.database import ExactDecimal
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.timeutil import utcnow


class Versioned:
    """A row people edit in forms: its version stops anyone saving over a change they have not seen."""

    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls):  # noqa: N805 - declared_attr passes the class
        # SQLAlchemy then updates only WHERE version = the one read, and counts it up.
        return {"version_id_col": cls.version}

    def check_version(self, expected: int | None, what: str) -> None:
        """Refuse (DomainError) when the row changed since the form showing version `expected` was opened."""
        if expected is not None and expected != self.version:
            who = self.updated_by or _("someone else")
            when = self.updated_at.strftime("%Y-%m-%d %H:%M UTC") if self.updated_at else _("a moment ago")
            raise DomainError(_("%(who)s changed %(what)s at %(when)s, after you opened it. Nothing was saved: "
                                "reload the page to see their change, then make yours again.",
                                who=who, what=what, when=when))


class Organisation(Versioned, db.Model):
    __tablename__ = "organisation"
    __audit_name__ = "Organisation"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    brand_promise: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    discount_rate: Mapped[Decimal] = mapped_column(ExactDecimal(7, 4), default=Decimal("0.08"))
    target_stage: Mapped[str | None] = mapped_column(String(20))
    target_date: Mapped[date | None]
    locale: Mapped[str] = mapped_column(String(5), default="en")
    require_two_factor: Mapped[bool] = mapped_column(default=False)
    # Survey answers with a comment are kept beside the reading computed from them only when this is on.
    keep_survey_comments: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self):
        return f"<Organisation {self.slug}>"


class OrganisationOwned:
    """A table whose every row belongs to one organisation (deleted with it)."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:  # noqa: N805 - declared_attr passes the class
        return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)

    @classmethod
    def scoped_to(cls, organisation: Organisation) -> Select:
        """A query of this table's rows that belong to organisation, and only those."""
        return select(cls).where(cls.organisation_id == organisation.id)
