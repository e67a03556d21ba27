"""The JSON API (/api/v1/): one blueprint, one OpenAPI document and its reference page, assembled from the
operations the areas contribute (`ApiOperations`, declared in each area's own api module). It knows no area."""


def load(area) -> None:
    """The API's blueprints: the operations the areas loaded before it contributed, and the document."""
    from cxroadmap.api import docs
    from cxroadmap.api.assembly import api_blueprint
    from cxroadmap.web import PagePanel

    area.blueprints(api_blueprint(area.app), docs.bp)
    area.add(PagePanel.of_template(("access_tokens",), "api/_reference_link.html"))
