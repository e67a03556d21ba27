"""The organisation, and the mixin every table of organisation data uses to stay scoped to one."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Column, DateTime, ForeignKey, Index, Integer, LargeBinary, String, Table, Text, select
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Mapped, declared_attr, deferred, mapped_column

from cxroadmap.database import ExactDecimal, Versioned
from cxroadmap.extensions import db
from cxroadmap.timeutil import utcnow


class Organisation(Versioned, db.Model):
    __audit_name__ = "Organisation"

    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(64), unique=True)
    brand_promise: Mapped[str] = mapped_column(Text, default="")
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    discount_rate: Mapped[Decimal] = mapped_column(ExactDecimal(7, 4), default=Decimal("0.08"))
    target_stage: Mapped[str | None] = mapped_column(String(20))
    target_date: Mapped[date | None]
    locale: Mapped[str] = mapped_column(String(5), default="en")
    # Where it keeps its hours (an IANA name): digests go out at their hour there, and its dates turn there.
    time_zone: Mapped[str] = mapped_column(String(64), default="UTC")
    require_two_factor: Mapped[bool] = mapped_column(default=False)
    # Survey answers with a comment are kept beside the reading computed from them only when this is on.
    keep_survey_comments: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    # The logo as re-encoded here (organisations/logo.py): a PNG of pixels alone. Loaded only when asked for;
    # its digest and size come with every page, for the navigation's <img> and the ETag.
    logo_png: Mapped[bytes | None] = deferred(mapped_column(LargeBinary))
    logo_sha256: Mapped[str | None] = mapped_column(String(64))
    logo_width: Mapped[int | None]
    logo_height: Mapped[int | None]

    def __repr__(self):
        return f"<Organisation {self.slug}>"


class OrganisationOwned:
    """A table whose every row belongs to one organisation (deleted with it): its `organisation_id`, which
    `scoped_to` filters on."""

    @declared_attr
    def organisation_id(cls) -> Mapped[int]:
        return mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"), index=True)


def hold(organisation: Organisation) -> None:
    """Queue behind anyone else checking a rule of this organisation until this transaction ends.

    A check that reads several rows and then writes (the last administrator, a loop of dependencies, a name
    unique by a rule the database cannot state) is only true while nobody changes what it read. PostgreSQL
    lets two such transactions read the same old rows at once, so each takes the organisation's row lock
    first; SQLite needs nothing, as its writers take the write lock before they read (BEGIN IMMEDIATE).
    """
    db.session.execute(select(Organisation.id).where(Organisation.id == organisation.id).with_for_update())


def hold_row(row) -> None:
    """Queue behind anyone else changing this row until this transaction ends, then see it as they left it.

    For a change that may happen once (confirming a round, closing it, using an invitation): the check that it has
    not happened yet must read the row as it is now. On PostgreSQL the row's lock (SELECT … FOR UPDATE) makes a
    second transaction wait for the first and then read its change; SQLite's writers hold its write lock already.
    Call it before changing the row: what it reads replaces the row's attributes in the session.
    """
    model = type(row)
    key = sa_inspect(row).identity
    primary = sa_inspect(model).primary_key
    db.session.execute(select(model).where(*(column == value for column, value in zip(primary, key, strict=True)))
                       .with_for_update().execution_options(populate_existing=True)).scalar_one()


class DataVersion(db.Model):
    """A stamp that changes whenever anything of the organisation's data is written (and committed).

    Figures worked out from all of an organisation's data (the portfolio summary) are kept against the stamp
    they were worked out at; a new stamp means they are worked out again. A random stamp rather than a counter,
    so that no figures kept in a process can ever be taken for those of another database.
    """

    __tablename__ = "organisation_data_version"

    id = None  # one row an organisation, keyed by it
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id", ondelete="CASCADE"),
                                                 primary_key=True)
    stamp: Mapped[str] = mapped_column(String(32))


# What each committed write of an organisation's data touched, in the order the writes committed (their ids): for
# figures kept in a process that can be brought up to date by working out again only what changed (the portfolio
# summary) rather than all of it. A row names the table written and, for rows that belong to a unit of the data
# (an initiative and everything that hangs off it: `__change_unit__`), the unit's table and id; `*` with no id
# means anything may have changed (a bulk write). A plain table, not a model: it is written at commit, never
# through the session, and is no data of the organisation's own (nothing exports or audits it).
DATA_CHANGE = Table(
    "organisation_data_change", db.metadata,
    Column("id", Integer, primary_key=True),
    Column("organisation_id", Integer, ForeignKey("organisation.id", ondelete="CASCADE"), nullable=False),
    Column("table_name", String(64), nullable=False),
    Column("row_id", Integer, nullable=True),
    Column("stamp", String(32), nullable=False),  # the stamp its commit gave the organisation
    Index("ix_organisation_data_change_organisation_id", "organisation_id", "id"),
)
