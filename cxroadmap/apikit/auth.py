"""Who is calling: a personal access token in the Authorization header (cookies never count here)."""

import hashlib

from flask import Blueprint, current_app, g, request
from sqlalchemy.exc import SQLAlchemyError

from cxroadmap.accounts import tokens
from cxroadmap.apikit.problems import ApiProblem
from cxroadmap.audit.models import AuditEvent
from cxroadmap.audit.services import _row as audit_row
from cxroadmap.audit.services import person, reset_actor, set_actor
from cxroadmap.extensions import db, limiter
from cxroadmap.i18n import _
from cxroadmap.timeutil import utcnow


def bearer() -> str:
    header = request.headers.get("Authorization", "")
    scheme, _space, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" else ""


def rate_key() -> str:
    """Requests are counted per token (a hash of it), or per address when there is none."""
    secret = bearer()
    if secret:
        return "token:" + hashlib.sha256(secret.encode("utf-8", "replace")).hexdigest()[:32]
    return "address:" + (request.remote_addr or "")


def authenticate() -> None:
    """Before each API request: the live token, or 401. The token's owner is who acts."""
    token = tokens.live_token(bearer())
    if token is None:
        raise ApiProblem(401, _("Send a live personal access token: Authorization: Bearer cxr_…"))
    g.api_token = token
    g.api_use = {"id": token.id, "name": token.name,
                 "actor": person(token.user, request.remote_addr or "", via=f"token {token.name}")}
    g.api_actor = set_actor(g.api_use["actor"])


def remember_status(response):
    g.api_status = response.status_code
    organisation = g.get("organisation")
    g.api_organisation_id = organisation.id if organisation is not None else None
    return response


def note_use(exc) -> None:
    """When an API request with a token is over: its last use, and an audit event like a sign-in's.

    Written on a connection of its own after the request's own transaction was committed or undone.
    """
    use = g.get("api_use")
    if use is None:
        return
    row = audit_row(use["actor"], "api_token_used", organisation_id=g.get("api_organisation_id"),
                    object_type="Access token", object_id=str(use["id"]), object_label=use["name"],
                    changes={"request": [None, f"{request.method} {request.path}"[:200]],
                             "status": [None, g.get("api_status", 500)]})
    db.session.rollback()
    try:
        with db.engine.begin() as connection:
            tokens.note_use(connection, use["id"], request.remote_addr or "", utcnow())
            connection.execute(AuditEvent.__table__.insert(), [row])
    except SQLAlchemyError:
        current_app.logger.exception("could not note the use of access token %s", use["id"])


def forget_actor(exc) -> None:
    note_use(exc)
    actor = g.pop("api_actor", None)
    if actor is not None:
        reset_actor(actor)


def rate_limit() -> str:
    return current_app.config["API_RATE_LIMIT"]


def protect(bp: Blueprint) -> None:
    """Tokens, their rate limit and their audit trail on every route of the blueprint. Each app builds its own API
    blueprint: the limit is the same value each time (module-level functions), so the limiter keeps it once."""
    limiter.limit(rate_limit, key_func=rate_key, scope="api-token")(bp)
    bp.before_request(authenticate)
    bp.after_request(remember_status)
    bp.teardown_request(forget_actor)
