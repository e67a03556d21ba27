"""The reports page: the reports the areas offer (`areas.ReportKind`), downloaded as they stand or built by a job,
issued into the archive and read back, on the page and through the API."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.reports import api
    from cxroadmap.reports.events import EVENT_KINDS
    from cxroadmap.reports.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(api.bp)
    area.add(AuditNames(objects={"Report": _l("Report")}, actions={"report_download": _l("report downloaded")}))
    area.add(MenuEntry("governance", "reports.index", _l("Reports"), ("reports.",), place=40))
    area.add(*EVENT_KINDS)
