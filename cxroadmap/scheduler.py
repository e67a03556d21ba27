"""The scheduler: every `TimedWork` the areas register, each at its interval, done by one process at a time.

APScheduler (3.x) keeps the time: an interval trigger per work, coalescing runs missed while a run was still
going into one, never two runs of one work at once. Which process acts is decided in the database: a lease
row (`scheduler_lease`) that one process holds at a time and renews at every beat; it is taken with one
conditional UPDATE (SQLite and PostgreSQL both serialise it), so with several web processes, workers and
schedulers exactly one acts. A process that stops beating loses the lease when it expires, and another takes it.

Whoever takes the lease runs every work at once, then at its interval: each work does what is due at the moment
it runs, so what fell due while nothing ran (a restart, a crash, a night with the machine off) is done once, on
start. `run_once` is the same work done by hand (`flask notify`), or only counted (`--dry-run`).

This module knows no area: it asks `contributions(TimedWork)` and `contributions(Backlog)`.
"""

import contextlib
import logging
import os
import secrets
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Flask, current_app
from sqlalchemy import DateTime, Integer, String, insert, or_, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.areas import TimedWork, contributions
from cxroadmap.database import writing
from cxroadmap.extensions import db
from cxroadmap.timeutil import aware, utcnow

LEASE = "scheduler"
# What the areas' timed work says it did ("sent weekly digest to …"): the scheduler's log, `flask notify`'s output.
work_log = logging.getLogger("cxroadmap.work")
log = logging.getLogger("cxroadmap.scheduler")


class SchedulerLease(db.Model):
    """Who may act as the scheduler until when, and when it last beat."""

    __tablename__ = "scheduler_lease"

    id = None  # keyed by its name
    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(200), default="")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    beat_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ScheduledRun(db.Model):
    """The last run of one timed work: when it started and ended, how much it did, what went wrong."""

    __tablename__ = "scheduled_run"

    id = None  # keyed by its name
    name: Mapped[str] = mapped_column(String(60), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    count: Mapped[int] = mapped_column(Integer, default=0)
    error: Mapped[str] = mapped_column(String(300), default="")


@dataclass(frozen=True)
class Failure:
    """One thing that failed, as the site administrator's page lists it."""

    at: datetime | None
    organisation: str
    what: str
    error: str


@dataclass(frozen=True)
class Backlog:
    """Work an area keeps waiting or saw fail (webhook deliveries, jobs …), for the site administrator's page:
    `count()` is (waiting, failed); `failures(limit)` the latest failures, newest first."""

    name: str
    label: Any
    count: Callable[[], tuple[int, int]]
    failures: Callable[[int], list[Failure]]


# -- the lease -----------------------------------------------------------------------------------------


def take_lease(holder: str, now: datetime, seconds: float) -> bool:
    """Take or keep the lease for `seconds` from now: True when `holder` has it (it held it, or it had expired).

    One conditional UPDATE, on a connection of its own, committed at once: of two processes trying together,
    the database lets one change the row and the other finds it no longer expired.
    """
    values = {"holder": holder, "expires_at": now + timedelta(seconds=seconds), "beat_at": now}
    table = SchedulerLease.__table__
    with db.engine.begin() as connection:
        taken = connection.execute(update(table).where(
            table.c.name == LEASE, or_(table.c.holder == holder, table.c.expires_at < now)).values(**values)).rowcount
        if taken:
            return True
        if connection.scalar(select(table.c.name).where(table.c.name == LEASE)) is not None:
            return False
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(table).values(name=LEASE, **values))
        return True
    except IntegrityError:  # another process made the row first: it holds the lease
        return False


def still_holding(holder: str, now: datetime, seconds: float) -> bool:
    """Renew the lease if `holder` still has it unexpired; False when it was lost (another process acts now)."""
    table = SchedulerLease.__table__
    with db.engine.begin() as connection:
        return bool(connection.execute(update(table).where(
            table.c.name == LEASE, table.c.holder == holder, table.c.expires_at >= now).values(
            expires_at=now + timedelta(seconds=seconds), beat_at=now)).rowcount)


def release_lease(holder: str) -> None:
    """Give the lease up at once (an orderly stop), so another process need not wait for it to expire."""
    table = SchedulerLease.__table__
    with db.engine.begin() as connection:
        connection.execute(update(table).where(table.c.name == LEASE, table.c.holder == holder).values(
            holder="", expires_at=utcnow() - timedelta(seconds=1)))


@dataclass(frozen=True)
class Beat:
    """The scheduler as the database last heard of it."""

    holder: str
    beat_at: datetime | None
    expires_at: datetime | None
    late: bool


def last_beat(now: datetime, app: Flask | None = None) -> Beat:
    """When the acting scheduler last beat; late when its lease has run out unrenewed (or none ever beat)."""
    app = app or current_app
    row = db.session.execute(select(SchedulerLease.holder, SchedulerLease.beat_at, SchedulerLease.expires_at)
                             .where(SchedulerLease.name == LEASE)).first()
    if row is None or row.beat_at is None:
        return Beat("", None, None, True)
    beat_at, expires_at = aware(row.beat_at), aware(row.expires_at)
    late = now - beat_at > timedelta(seconds=float(app.config["SCHEDULER_LEASE_SECONDS"]))
    return Beat(row.holder, beat_at, expires_at, late)


def last_runs() -> dict[str, ScheduledRun]:
    return {run.name: run for run in db.session.scalars(select(ScheduledRun))}


def _note_run(name: str, values: dict) -> None:
    table = ScheduledRun.__table__
    with db.engine.begin() as connection:
        if connection.execute(update(table).where(table.c.name == name).values(**values)).rowcount:
            return
    try:
        with db.engine.begin() as connection:
            connection.execute(insert(table).values(name=name, **values))
    except IntegrityError:
        with db.engine.begin() as connection:
            connection.execute(update(table).where(table.c.name == name).values(**values))


# -- the work ------------------------------------------------------------------------------------------

def timed_work(app: Flask | None = None) -> list[TimedWork]:
    return contributions(TimedWork, app)


def interval(work: TimedWork, app: Flask) -> float:
    """Seconds between two runs of a work: its own `every`, unless SCHEDULER_INTERVALS names it."""
    chosen = (app.config.get("SCHEDULER_INTERVALS") or {}).get(work.name)
    return float(chosen) if chosen else work.every.total_seconds()


def do_work(work: TimedWork, now: datetime) -> int:
    """Run one work in this app context: what it did is committed, what failed halfway is undone. It starts in a
    transaction of its own (one begun earlier may not write on SQLite once another connection wrote), begun on
    SQLite by taking the write lock at once: works run side by side in the scheduler's threads, and one that read
    first and then wrote would be refused ("database is locked") instead of waiting its turn."""
    db.session.commit()
    with writing():
        try:
            count = work.run(now)
            db.session.commit()
            return count
        except BaseException:
            db.session.rollback()
            raise


def run_once(now: datetime, dry_run: bool) -> list[tuple[TimedWork, int]]:
    """Every timed work once, in the areas' order (`flask notify`): done, or only counted (`due`). A work that
    fails (a mail server that cannot be reached) is logged as a warning and left out; the others still run."""
    done = []
    for work in timed_work():
        try:
            done.append((work, work.due(now) if dry_run else do_work(work, now)))
        except Exception as problem:
            work_log.warning("Not done: %s: %s: %s", work.name, type(problem).__name__, problem)
        if dry_run:
            db.session.rollback()
    return done


class Scheduler:
    """One process's scheduler: it beats (tries to hold the lease) and, while it holds it, runs the timed work."""

    def __init__(self, app: Flask, holder: str | None = None):
        from apscheduler.schedulers.background import BackgroundScheduler

        self.app = app
        self.holder = holder or f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"
        self.leading = False
        self._lock = threading.Lock()
        self.beat_seconds = float(app.config["SCHEDULER_BEAT_SECONDS"])
        self.lease_seconds = float(app.config["SCHEDULER_LEASE_SECONDS"])
        # Missed runs of a work are made up by one run (coalesce), whenever late it is (no grace limit).
        self.clock = BackgroundScheduler(timezone=UTC, job_defaults={
            "coalesce": True, "max_instances": 1, "misfire_grace_time": None})

    def start(self) -> "Scheduler":
        from apscheduler.triggers.interval import IntervalTrigger

        self.clock.add_job(self.beat, IntervalTrigger(seconds=self.beat_seconds), id="beat",
                           next_run_time=datetime.now(UTC))
        self.clock.start()
        log.info("scheduler %s started: beats every %s s", self.holder, self.beat_seconds)
        return self

    def stop(self, release: bool = True) -> None:
        """Stop beating and working (waiting for a run in progress); give the lease up unless told not to (as a
        crash would not)."""
        self.clock.shutdown(wait=True)
        if release and self.leading:
            with self.app.app_context():
                release_lease(self.holder)
        self.leading = False

    def beat(self) -> None:
        try:
            with self.app.app_context():
                held = take_lease(self.holder, utcnow(), self.lease_seconds)
        except SQLAlchemyError:
            log.exception("scheduler %s: the database did not answer the beat", self.holder)
            held = False
        with self._lock:
            if held and not self.leading:
                self._lead()
            elif not held and self.leading:
                self._follow()

    def _lead(self) -> None:
        from apscheduler.triggers.interval import IntervalTrigger

        self.leading = True
        log.info("scheduler %s acts now", self.holder)
        start = datetime.now(UTC)
        for work in timed_work(self.app):
            # Every work runs at once (what fell due while no scheduler acted), then at its interval.
            self.clock.add_job(self._run, IntervalTrigger(seconds=interval(work, self.app)), args=(work,),
                               id=f"work:{work.name}", name=work.name, next_run_time=start, replace_existing=True)

    def _follow(self) -> None:
        self.leading = False
        log.warning("scheduler %s lost the lease; another process acts", self.holder)
        for job in self.clock.get_jobs():
            if job.id.startswith("work:"):
                job.remove()

    def _run(self, work: TimedWork) -> None:
        with self.app.app_context():
            now = utcnow()
            try:
                if not self.leading or not still_holding(self.holder, now, self.lease_seconds):
                    return  # the lease went to another process since the last beat: it does this work now
                _note_run(work.name, {"started_at": now, "finished_at": None})
                count = do_work(work, now)
                _note_run(work.name, {"finished_at": utcnow(), "count": count, "error": ""})
                if count:
                    log.info("%s: %s", work.name, count)
            except Exception as problem:
                log.exception("timed work %s failed", work.name)
                with contextlib.suppress(SQLAlchemyError):  # the database itself may be what failed
                    _note_run(work.name, {"finished_at": utcnow(), "count": 0,
                                          "error": f"{type(problem).__name__}: {problem}"[:300]})
            finally:
                db.session.remove()
