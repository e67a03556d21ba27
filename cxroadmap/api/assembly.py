"""Every operation the areas contributed, routed under one blueprint and described in one document."""

from flask import Blueprint, Flask, current_app

from cxroadmap.apikit.auth import protect
from cxroadmap.apikit.spec import PREFIX, ApiOperations, Operation, openapi_document
from cxroadmap.areas import contributions
from cxroadmap.extensions import csrf

OPENAPI = "cxroadmap_openapi"  # where the app keeps its document once made


def every_operation(app: Flask | None = None) -> list[Operation]:
    """The areas' operations, in the order the areas were loaded and each declared them."""
    return [op for declared in contributions(ApiOperations, app) for op in declared.operations]


def api_blueprint(app: Flask) -> Blueprint:
    """A blueprint of this app's operations: tokens authenticate them, cookies and CSRF do not apply. (Each app
    gets its own, as its areas may differ; the endpoints are "api.<view name>".)"""
    bp = Blueprint("api", __name__, url_prefix=PREFIX)
    protect(bp)
    csrf.exempt(bp)
    for op in every_operation(app):
        bp.add_url_rule(op.rule, endpoint=op.endpoint, view_func=op.view, methods=[op.method])
    return bp


def the_document() -> dict:
    """This app's OpenAPI document, made on first request and kept."""
    document = current_app.extensions.get(OPENAPI)
    if document is None:
        document = current_app.extensions[OPENAPI] = openapi_document(every_operation(), "1")
    return document
