"""KPIs of the customer experience: O-data and X-data, their readings, targets and survey scores."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.measures import api, deck, exchange, report, story
    from cxroadmap.measures.cli import kpi
    from cxroadmap.measures.events import EVENT_KINDS
    from cxroadmap.measures.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(api.bp)
    area.add(report.FIGURES, *report.SECTIONS, story.LINE, *deck.PARTS, report.READABLE)
    area.add(exchange.PART)
    area.commands(kpi)
    area.add(AuditNames(objects={"KPI": _l("KPI"), "KPI reading": _l("KPI reading"),
                                 "KPI of an initiative": _l("KPI of an initiative")}))
    area.add(MenuEntry("governance", "measures.index", _l("KPIs"), ("measures.",), place=20))
    area.add(*EVENT_KINDS)
