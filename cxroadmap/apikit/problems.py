"""Every error under /api/ as application/problem+json (RFC 9457), never an HTML page."""

import json

from flask import Response, current_app, request
from werkzeug.exceptions import HTTPException, InternalServerError

from cxroadmap.extensions import db
from cxroadmap.i18n import _

PROBLEM = "application/problem+json"

TITLES = {
    400: "Bad request", 401: "Not signed in", 403: "Not allowed", 404: "Not found", 405: "Method not allowed",
    406: "Not acceptable", 409: "Conflict", 412: "Changed since you read it", 413: "Too large",
    415: "Unsupported media type", 422: "Invalid", 428: "Precondition required", 429: "Too many requests",
    500: "Server error",
}


class ApiProblem(Exception):
    """Raised in an API view: answered as a problem document with this status."""

    def __init__(self, status: int, detail: str, errors: dict[str, str] | None = None, headers=None):
        super().__init__(detail)
        self.status, self.detail, self.errors, self.headers = status, detail, errors or {}, headers or {}


def problem(status: int, detail: str, errors: dict[str, str] | None = None, headers=None) -> Response:
    body = {"type": "about:blank", "title": TITLES.get(status, "Error"), "status": status, "detail": str(detail),
            "instance": request.path}
    if errors:
        body["errors"] = {field or "": str(message) for field, message in errors.items()}
    response = Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="cxroadmap"'
    return response


def is_api_request() -> bool:
    return request.path == "/api" or request.path.startswith("/api/")


def answer_api_problem(error: ApiProblem) -> Response:
    db.session.rollback()
    return problem(error.status, error.detail, error.errors, error.headers)


def answer_http_error(error) -> Response:
    """An HTTP error (or anything unforeseen) raised under /api/, as a problem document."""
    db.session.rollback()
    if not isinstance(error, HTTPException):
        current_app.logger.exception("unhandled error on %s", request.path, exc_info=error)
        error = InternalServerError()
    headers = {}
    if error.code == 405 and getattr(error, "valid_methods", None):
        headers["Allow"] = ", ".join(error.valid_methods)
    if error.code == 429:
        headers["Retry-After"] = "60"
    detail = {
        404: _("There is nothing at this address, or not for this token."),
        405: _("This address does not take %(method)s.", method=request.method),
        413: _("The request body is larger than this server takes."),
        429: _("Too many requests with this token; wait a minute."),
    }.get(error.code, error.description or TITLES.get(error.code, "Error"))
    return problem(error.code or 500, detail, headers=headers)
