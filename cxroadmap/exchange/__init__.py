"""The cxroadmap/1 export and import, and spreadsheets."""


def load(area) -> None:
    from cxroadmap.exchange.views import bp

    area.blueprints(bp)
