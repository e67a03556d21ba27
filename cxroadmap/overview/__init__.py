"""The organisation's figures gathered from every area, and its front page."""


def load(area) -> None:
    from cxroadmap.i18n import _l
    from cxroadmap.overview import api
    from cxroadmap.overview.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(api.bp)
    area.add(MenuEntry("overview", "overview.show", _l("Overview"), ("overview.",)))
