"""Who is calling: a personal access token in the Authorization header (cookies never count here)."""

import hashlib

from flask import Blueprint, current_app, g, request

from cxroadmap.accounts import tokens
from cxroadmap.api.problems import ApiProblem
from cxroadmap.audit.models import AuditEvent
from cxroadmap.audit.services import Actor, reset_actor, set_actor
from cxroadmap.audit.services import _row as audit_row
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
                 "actor": Actor(f"{token.user.email} (token {token.name})"[:254], token.user_id,
                                request.remote_addr or "")}
    g.api_actor = set_actor(g.api_use["actor"])


def note_use(response):
    """After each API request with a token: its last use, and an audit event like a sign-in's."""
    use = g.get("api_use")
    if use is None:
        return response
    # The request's own transaction is over (committed or undone) before this is written on its own.
    organisation_id = g.organisation.id if g.get("organisation") is not None else None
    db.session.rollback()
    now = utcnow()
    row = audit_row(use["actor"], "api_token_used",
                    organisation_id=organisation_id,
                    object_type="Access token", object_id=str(use["id"]), object_label=use["name"],
                    changes={"request": [None, f"{request.method} {request.path}"[:200]],
                             "status": [None, response.status_code]})
    with db.engine.begin() as connection:
        tokens.note_use(connection, use["id"], request.remote_addr or "", now)
        connection.execute(AuditEvent.__table__.insert(), [row])
    return response


def forget_actor(exc) -> None:
    actor = g.pop("api_actor", None)
    if actor is not None:
        reset_actor(actor)


def protect(bp: Blueprint) -> None:
    limiter.limit(lambda: current_app.config["API_RATE_LIMIT"], key_func=rate_key, scope="api-token")(bp)
    bp.before_request(authenticate)
    bp.after_request(note_use)
    bp.teardown_request(forget_actor)
