"""The OpenAPI document and the reference page that reads it; neither needs a token."""

from flask import Blueprint, current_app, jsonify, render_template

from cxroadmap.access import public
from cxroadmap.api.spec import PREFIX, openapi_document

bp = Blueprint("api_docs", __name__)


@bp.get(f"{PREFIX}/openapi.json")
@public
def openapi():
    document = current_app.extensions.get("cxroadmap_openapi")
    if document is None:
        document = current_app.extensions["cxroadmap_openapi"] = openapi_document("1")
    return jsonify(document)


@bp.get("/api/docs")
@public
def reference():
    return render_template("api/docs.html")
