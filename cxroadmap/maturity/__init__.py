"""Where the organisation stands on the six-stage maturity scale: its stage assessments."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.maturity import exchange, story
    from cxroadmap.maturity.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(AuditNames(objects={"Stage assessment": _l("Stage assessment")}))
    area.add(MenuEntry("strategy", "maturity.index", _l("Maturity"), ("maturity.", "assessments."), place=10))
    area.add(exchange.PART)
    area.add(story.LINE)
