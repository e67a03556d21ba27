"""The three readiness questions and their assessments."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.readiness import exchange
    from cxroadmap.readiness.questions import QUESTIONS, SCORE_LABELS, SHORT_LABELS
    from cxroadmap.readiness.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.template_values(QUESTIONS=QUESTIONS, SHORT_LABELS=SHORT_LABELS, SCORE_LABELS=SCORE_LABELS)
    area.add(AuditNames(objects={"Readiness assessment": _l("Readiness assessment")}))
    area.add(MenuEntry("strategy", "readiness.index", _l("Readiness"), ("readiness.",), place=20))
    area.add(exchange.PART)
