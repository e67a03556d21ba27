"""Signing in: each request finds its user through the server-side session's token, then is checked."""

from datetime import timedelta

from flask import Flask, current_app, g, request
from flask_login import current_user

from cxroadmap.accounts.authz import enforce_access
from cxroadmap.accounts.services import SessionLimits, session_by_token, touch_session
from cxroadmap.audit.services import Actor, person, reset_actor, set_actor
from cxroadmap.extensions import db, login_manager
from cxroadmap.timeutil import utcnow


def init_app(app: Flask) -> None:
    """Sessions live on the server; each request finds its user through its session's token, then is checked."""
    limits = SessionLimits(idle=timedelta(minutes=app.config["SESSION_IDLE_MINUTES"]),
                           absolute=timedelta(hours=app.config["SESSION_ABSOLUTE_HOURS"]))
    login_manager.session_protection = None  # the server-side session is the protection

    @login_manager.user_loader
    def _load_user(token: str):
        now = utcnow()
        record = session_by_token(token, limits, now)
        if record is None:
            return None
        g.pending_second_factor = record.pending_second_factor
        if request.method in ("GET", "HEAD"):
            # On its own connection: a writing request holds SQLite's lock on its own, and would wait on itself.
            with db.engine.begin() as connection:
                touch_session(connection, record, now)
        user = record.user
        user.session_token = token
        return user

    @app.before_request
    def _who_and_may_they():
        if getattr(current_app.view_functions.get(request.endpoint), "token_authenticated", False):
            return None  # cookies never authenticate the API: its token does, in its own blueprint
        address = request.remote_addr or ""
        if current_user.is_authenticated:
            g.audit_token = set_actor(person(current_user, address))
        else:
            g.audit_token = set_actor(Actor("anonymous", None, address))
        return enforce_access()

    @app.teardown_request
    def _forget_actor(exc):
        token = g.pop("audit_token", None)
        if token is not None:
            reset_actor(token)
