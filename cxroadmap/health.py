"""The health check a load balancer or a monitor asks: is the app up and its database reachable?"""

from flask import Blueprint, current_app, jsonify
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from cxroadmap.access import public
from cxroadmap.extensions import db

bp = Blueprint("health", __name__)


@bp.get("/healthz")
@public
def healthz():
    try:
        db.session.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        current_app.logger.warning("health check: database unreachable: %s", exc)
        db.session.rollback()
        return jsonify(status="unavailable", reason="database unreachable"), 503
    return jsonify(status="ok")
