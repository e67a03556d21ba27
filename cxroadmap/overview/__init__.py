"""The organisation's figures gathered from every area, its front page, and the reports of the whole organisation:
the roadmap and progress report, the executive summary and the steering deck."""


def load(area) -> None:
    from cxroadmap.i18n import _l
    from cxroadmap.overview import api
    from cxroadmap.overview.documents import REPORT_KINDS
    from cxroadmap.overview.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(api.bp)
    area.add(*REPORT_KINDS)
    area.add(MenuEntry("overview", "overview.show", _l("Overview"), ("overview.",)))
