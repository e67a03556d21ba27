"""The health check a load balancer or a monitor asks: can the app read and write its database?"""

import shutil
from pathlib import Path

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from cxroadmap.access import public
from cxroadmap.database import writing
from cxroadmap.extensions import db

bp = Blueprint("health", __name__)


def _read() -> None:
    db.session.execute(text("SELECT 1"))


def _write() -> None:
    """A real write to a real table, rolled back: a read-only file, role or replica refuses it."""
    db.session.rollback()
    with writing():  # on SQLite: BEGIN IMMEDIATE, the write lock every writing request needs
        db.session.execute(text("UPDATE alembic_version SET version_num = version_num"))


def _disk_free() -> int | None:
    """Bytes free beside the SQLite file (None for a database on a server, whose disk is not ours to see)."""
    url = db.engine.url
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        return None
    return shutil.disk_usage(Path(url.database).resolve().parent).free


@bp.get("/healthz")
@public
def healthz():
    """200 when the database answers, accepts a write and has room; otherwise 503 naming what failed."""
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
    return jsonify(status="ok", checks=checks)
