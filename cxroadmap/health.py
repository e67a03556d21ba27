"""The health check a load balancer or a monitor asks: can the app read and commit to its database?"""

import shutil
import sqlite3
from datetime import datetime
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import DateTime, text, update
from sqlalchemy.exc import IntegrityError, OperationalError, SQLAlchemyError
from sqlalchemy.orm import Mapped, mapped_column

from cxroadmap.access import public
from cxroadmap.database import writing
from cxroadmap.extensions import db
from cxroadmap.scheduler import last_beat
from cxroadmap.timeutil import utcnow

bp = Blueprint("health", __name__)


class Heartbeat(db.Model):
    """The one row the health check writes and commits: a write that is rolled back never reaches the disk."""

    __tablename__ = "heartbeat"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    beat_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


def _read() -> None:
    db.session.execute(text("SELECT 1"))


def _write() -> None:
    """A real write to a real table, committed: a read-only file, role or replica, or a disk that no longer takes
    what is committed, refuses it."""
    db.session.rollback()
    with writing():  # on SQLite: BEGIN IMMEDIATE, the write lock every writing request needs
        beat = db.session.execute(update(Heartbeat).where(Heartbeat.id == 1).values(beat_at=utcnow()))
        if not beat.rowcount:
            db.session.add(Heartbeat(id=1, beat_at=utcnow()))
        try:
            db.session.commit()
        except IntegrityError:  # another check wrote the first beat at the same moment: the database commits
            db.session.rollback()
    if db.engine.dialect.name == "sqlite":
        # The commit went into the write-ahead log, which stays writable when the database file no longer is
        # (made read-only or immutable, its disk remounted read-only): copying it into the file tells.
        # On a connection outside any transaction: a checkpoint cannot run inside one.
        connection = db.engine.raw_connection()
        try:
            connection.cursor().execute("PRAGMA wal_checkpoint(PASSIVE)")
        except sqlite3.Error as exc:
            raise OperationalError("PRAGMA wal_checkpoint(PASSIVE)", None, exc) from None
        finally:
            connection.close()


def _disk_free() -> int | None:
    """Bytes free beside the SQLite file (None for a database on a server, whose disk is not ours to see)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return shutil.disk_usage(Path(url.database).resolve().parent).free


@bp.get("/healthz")
@public
def healthz():
    """200 when the database answers, commits a write and has room; otherwise 503 naming what failed. It also
    says when the scheduler last beat."""
    checks = {}
    for name, check, reason in (("read", _read, "database unreachable"),
                                ("write", _write, "database refuses writes")):
        try:
            check()
            checks[name] = "ok"
        except SQLAlchemyError as exc:
            current_app.logger.warning("health check: %s: %s", reason, exc)
            db.session.rollback()
            checks[name] = "failed"
            return jsonify(status="unavailable", reason=reason, checks=checks), 503
        finally:
            if name == "write":
                db.session.rollback()
    free = _disk_free()
    if free is not None:
        enough = free >= current_app.config["HEALTH_MIN_FREE_BYTES"]
        checks["disk"] = "ok" if enough else "failed"
        if not enough:
            current_app.logger.warning("health check: %s bytes free beside the database", free)
            return jsonify(status="unavailable", reason="disk almost full", checks=checks), 503
    return jsonify(status="ok", checks=checks, scheduler=_scheduler())


def _scheduler() -> dict:
    """When the scheduler last beat, and whether that is late: reported, never a reason for a 503 (a web process
    serves its pages whether or not the scheduler runs; a monitor watches this field)."""
    now = utcnow()
    try:
        beat = last_beat(now)
    except SQLAlchemyError:
        db.session.rollback()
        return {"state": "unknown"}
    if beat.beat_at is None:
        return {"state": "never", "last_beat": None}
    return {"state": "late" if beat.late else "ok", "last_beat": beat.beat_at.isoformat(timespec="seconds"),
            "seconds_ago": int((now - beat.beat_at).total_seconds())}
