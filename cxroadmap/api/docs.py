"""The OpenAPI document and the reference page that reads it; neither needs a token."""

from flask import Blueprint, jsonify, render_template

from cxroadmap.access import public
from cxroadmap.api.assembly import the_document
from cxroadmap.apikit.spec import PREFIX

bp = Blueprint("api_docs", __name__)


@bp.get(f"{PREFIX}/openapi.json")
@public
def openapi():
    return jsonify(the_document())


@bp.get("/api/docs")
@public
def reference():
    return render_template("api/docs.html")
