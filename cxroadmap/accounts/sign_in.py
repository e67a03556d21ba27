"""Signing in: each request finds its user through the server-side session's token, then is checked."""


from flask import Flask, current_app, g, request, session
from flask_login import current_user

from cxroadmap.accounts.authz import enforce_access
from cxroadmap.accounts.services import (
    SessionLimits,
    is_live,
    organisation_and_session,
    session_by_token,
    touch_due,
    touch_session,
)
from cxroadmap.audit.services import Actor, person, reset_actor, set_actor
from cxroadmap.extensions import db, login_manager
from cxroadmap.organisations.data_version import organisation_with_stamp
from cxroadmap.timeutil import utcnow
from cxroadmap.web import read_organisations_with


def init_app(app: Flask) -> None:
    """Sessions live on the server; each request finds its user through its session's token, then is checked."""
    limits = SessionLimits.configured(app.config)
    login_manager.session_protection = None  # the server-side session is the protection

    def _organisation_and_session(slug: str):
        # An organisation's page for a browser with a session: both read in one query, which every such page
        # asks first; the session is then checked as it is loaded (below).
        token = session.get("_user_id")
        if not isinstance(token, str) or not token or len(token) > 200:
            return organisation_with_stamp(slug)
        found = organisation_and_session(slug, token)
        if found is None:
            return None
        organisation, record, membership = found
        g.found_session = (token, record, membership)
        return organisation

    read_organisations_with(_organisation_and_session)

    @login_manager.user_loader
    def _load_user(token: str):
        now = utcnow()
        organisation = g.get("organisation")  # /o/<slug>/ was read before anyone asks who is signed in
        found = g.pop("found_session", None)
        if found is not None and found[0] == token:
            record, membership = found[1:] if is_live(found[1], limits, now) else (None, None)
        else:
            record, membership = session_by_token(token, limits, now, organisation.id if organisation else None)
        if record is None:
            return None
        g.pending_second_factor = record.pending_second_factor
        if organisation is not None:
            g.found_membership = (organisation.id, membership)  # for the access check, which asks next
        if request.method in ("GET", "HEAD") and touch_due(record, now):
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
