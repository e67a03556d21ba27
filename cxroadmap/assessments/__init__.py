"""Assessment rounds: several raters say where the organisation stands; steering confirms the outcome."""


def load(area) -> None:
    from cxroadmap.assessments import exchange, report
    from cxroadmap.assessments.events import EVENT_KINDS
    from cxroadmap.assessments.views import bp, rater_bp
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l

    area.blueprints(bp, rater_bp)
    area.add(AuditNames(
        objects={"Assessment round": _l("Assessment round"), "Assessment rater": _l("Assessment rater")},
        actions={"assessment_answered": _l("assessment answered"),
                 "assessment_link_refused": _l("assessment link refused"),
                 "assessment_link_reissued": _l("assessment link re-issued")}))
    area.add(*EVENT_KINDS)
    area.add(exchange.PART)
    area.add(report.FIGURES, report.SECTION, report.CONFIRMATION)
