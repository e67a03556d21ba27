"""Long work done in the background (a large report, a large import), its progress and its result."""


def load(area) -> None:
    from cxroadmap.jobs.views import bp

    area.blueprints(bp)
