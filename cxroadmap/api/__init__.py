"""The JSON API (/api/v1/): personal access tokens, resources described by an OpenAPI document."""


def load(area) -> None:
    """The API's blueprints; tokens authenticate them, cookies and CSRF do not apply."""
    from cxroadmap.api import cases, docs, surveys, views  # surveys and cases add their operations to views.bp

    assert surveys.bp is views.bp and cases.bp is views.bp

    area.blueprints(views.bp, docs.bp)
