"""The JSON API (/api/v1/): personal access tokens, resources described by an OpenAPI document."""

from flask import Flask


def init_api(app: Flask) -> None:
    """Register the API's blueprints; tokens authenticate them, cookies and CSRF do not apply."""
    from cxroadmap.api import docs, views

    app.register_blueprint(views.bp)
    app.register_blueprint(docs.bp)
