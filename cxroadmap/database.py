"""The declarative base and what models declare with it, SQLite connection settings and the shared exact-decimal
column types."""

import sqlite3
import threading
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import BigInteger, CheckConstraint, DateTime, MetaData, Numeric, Select, String, event, select
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

from cxroadmap.errors import DomainError
from cxroadmap.i18n import _, format_moment
from cxroadmap.timeutil import utcnow

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    """The base of every model. Its rows are numbered: `id`, the primary key, the first column of its table; a model
    whose rows are keyed otherwise (by their organisation, by a name) says `id = None` beside the key it has."""

    metadata = MetaData(naming_convention=NAMING_CONVENTION)

    id: Mapped[int] = mapped_column(primary_key=True, sort_order=-1)

    @classmethod
    def scoped_to(cls, organisation) -> Select:
        """A query of this table's rows that belong to organisation, and only those: by their own
        `organisation_id`, or by the row their `__organisation_path__` names (a status update's initiative), joined
        on the way to the first that has one."""
        query, model = select(cls), cls
        while "organisation_id" not in model.__mapper__.columns:
            path = getattr(model, model.__organisation_path__)
            query, model = query.join(path), path.property.mapper.class_
        return query.where(model.organisation_id == organisation.id)


def one_of(column: str, keys, name: str) -> CheckConstraint:
    """A CHECK that `column` holds one of `keys` (a Choices' keys, or any iterable of them): the database refuses
    a key the code does not know."""
    return CheckConstraint(f"{column} IN ({', '.join(repr(key) for key in keys)})", name=name)


def choice_label(choices, field: str) -> property:
    """A model's property reading as the label, in `choices`, of the key its `field` holds (an em dash for none):
    `status_label = choice_label(STATUSES, "status")`."""
    return property(lambda row: choices.label(getattr(row, field)))


def last_of(relationship: str, doc: str) -> property:
    """A model's property: the last row of one of its ordered relationships (the latest), None while it has none."""

    def last(row):
        rows = getattr(row, relationship)
        return rows[-1] if rows else None

    return property(last, doc=doc)


class ExactDecimal(TypeDecorator):
    """A Decimal with a fixed number of places that never passes through a float.

    PostgreSQL keeps it as NUMERIC; SQLite has no exact decimal, so there it is an integer
    counting units of the last place (cents for money), which SQLite stores and sums exactly.
    """

    impl = Numeric
    cache_ok = True

    def __init__(self, precision: int, scale: int):
        super().__init__(precision, scale, asdecimal=True)
        self.places = scale
        self.quantum = Decimal(1).scaleb(-scale)

    def load_dialect_impl(self, dialect):
        if dialect.name == "sqlite":
            return dialect.type_descriptor(BigInteger())
        return dialect.type_descriptor(Numeric(self.impl.precision, self.places, asdecimal=True))

    def process_bind_param(self, value, dialect):
        if value is None:
            return None
        exact = Decimal(value).quantize(self.quantum, rounding=ROUND_HALF_UP)
        if dialect.name == "sqlite":
            return int(exact.scaleb(self.places))
        return exact

    def process_result_value(self, value, dialect):
        if value is None:
            return None
        if dialect.name == "sqlite":
            return Decimal(int(value)).scaleb(-self.places).quantize(self.quantum)
        return Decimal(value).quantize(self.quantum)


def as_stored(column, value):
    """value as an ExactDecimal column keeps it: rounded half up to its places (anything else as given).

    Checks and sums work on this, not on what was typed: otherwise 0.99999 passes "below 1" and is kept as
    1.0000, or an amount is worked out from a rate with more places than the rate that is kept.
    """
    kind = column.type if hasattr(column, "type") else column
    if not isinstance(value, Decimal) or not value.is_finite() or not isinstance(kind, ExactDecimal):
        return value
    if value.adjusted() > kind.impl.precision:  # far out of range: left for the range check to refuse
        return value
    return value.quantize(kind.quantum, rounding=ROUND_HALF_UP)


def Money():
    """Amounts of money: 12 digits before the point, 2 after."""
    return ExactDecimal(14, 2)


# Work that writes (a POST, a CLI command that changes data) begins its SQLite transactions with
# BEGIN IMMEDIATE, taking the write lock before its first read, so a read-then-write can never lose
# an update to a concurrent writer. Everything else begins deferred and never holds the lock idle.
_begin_immediately: ContextVar[bool] = ContextVar("sqlite_begin_immediately", default=False)


def begin_immediately(value: bool) -> None:
    """Say whether SQLite transactions begun from now on in this context take the write lock at once."""
    _begin_immediately.set(value)


@contextmanager
def writing():
    """Within this block, SQLite transactions begin by taking the write lock (for CLI commands that write)."""
    token = _begin_immediately.set(True)
    try:
        yield
    finally:
        _begin_immediately.reset(token)


def end_reading(session) -> None:
    """End the session's transaction so far by committing it, keeping what it loaded loaded: work that read (an
    upload, a check) and is about to write begins a new transaction, which writing()/begin_immediately() makes take
    SQLite's write lock at once, so no lock is held while it read."""
    session.expire_on_commit = False
    try:
        session.commit()
    finally:
        session.expire_on_commit = True


class HeldConnections:
    """A few connections a process holds for work of one or two statements that needs no transaction around them (a
    check, an answer added): on a database server each is in autocommit, so a statement is one round trip, with no
    ping when it is taken from the pool and no BEGIN and COMMIT around it. On SQLite, a file on this machine, a
    connection costs next to nothing: the pool's, in a transaction as any other. The caller ends what it did with
    commit() (or rollback()), which costs no round trip in autocommit. A connection that fails is closed, never
    held again: the next use connects afresh.

    settings: the database server's settings for the work these connections do (`SET name TO value` once a
    connection is taken from the pool, `RESET name` before one goes back to it, so the pool's other users never
    see them)."""

    def __init__(self, most: int = 2, settings: dict[str, str] | None = None) -> None:
        self.most = most
        self.settings = settings or {}
        self.held: list = []
        self.lock = threading.Lock()

    @contextmanager
    def connection(self, engine: Engine):
        if engine.dialect.name == "sqlite":
            with engine.connect() as connection:
                yield connection
            return
        with self.lock:
            connection = self.held.pop() if self.held else None
        if connection is None:
            connection = engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            for name, value in self.settings.items():
                connection.exec_driver_sql(f"SET {name} TO {value}")
        try:
            yield connection
            connection.rollback()  # whatever the caller left open ends (no round trip in autocommit)
        except BaseException:
            connection.invalidate()
            connection.close()
            raise
        with self.lock:
            if len(self.held) < self.most:
                self.held.append(connection)
                return
        try:
            for name in self.settings:
                connection.exec_driver_sql(f"RESET {name}")
        except SQLAlchemyError:  # what was done is done: a connection that cannot be reset is not pooled again
            connection.invalidate()
        connection.close()


@event.listens_for(Engine, "connect")
def _configure_sqlite(dbapi_connection, connection_record):
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    # Let SQLAlchemy's "begin" event issue BEGIN itself instead of the driver's late, implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA busy_timeout = 15000")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA synchronous = NORMAL")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(connection):
    if connection.dialect.name == "sqlite":
        connection.exec_driver_sql("BEGIN IMMEDIATE" if _begin_immediately.get() else "BEGIN")


class Versioned:
    """A row people edit in forms: its version stops anyone saving over a change they have not seen."""

    version: Mapped[int] = mapped_column(default=1)
    updated_by: Mapped[str] = mapped_column(String(254), default="")
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls):
        # SQLAlchemy then updates only WHERE version = the one read, and counts it up.
        return {"version_id_col": cls.version}

    def check_version(self, expected: int | None, what: str) -> None:
        """Refuse (DomainError) when the row changed since the form showing version `expected` was opened."""
        if expected is not None and expected != self.version:
            who = self.updated_by or _("someone else")
            when = f"{format_moment(self.updated_at)} UTC" if self.updated_at else _("a moment ago")
            raise DomainError(_("%(who)s changed %(what)s at %(when)s, after you opened it. Nothing was saved: "
                                "reload the page to see their change, then make yours again.",
                                who=who, what=what, when=when))
