"""Benefit estimates, realised amounts and the money maths."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.benefits import api, exchange
    from cxroadmap.benefits.kinds import BENEFIT_KINDS
    from cxroadmap.benefits.views import bp
    from cxroadmap.i18n import _l

    area.blueprints(bp)
    area.add(api.bp)
    area.add(exchange.PART)
    area.template_values(BENEFIT_KINDS=BENEFIT_KINDS)
    area.add(AuditNames(objects={"Benefit estimate": _l("Benefit estimate"),
                                 "Realised benefit": _l("Realised benefit")}))
