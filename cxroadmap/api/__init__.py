"""The JSON API (/api/v1/): personal access tokens, resources described by an OpenAPI document."""


def load(area) -> None:
    """The API's blueprints; tokens authenticate them, cookies and CSRF do not apply."""
    from cxroadmap.api import cases, docs, views  # noqa: F401 - cases adds its operations to views.bp

    area.blueprints(views.bp, docs.bp)
