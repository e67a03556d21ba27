"""Initiatives: what the organisation does, its page and the hooks other areas add sections through."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames, Reference
    from cxroadmap.i18n import _l
    from cxroadmap.initiatives import api, exchange, touchpoint_views, views
    from cxroadmap.initiatives.events import EVENT_KINDS
    from cxroadmap.initiatives.models import Initiative
    from cxroadmap.initiatives.states import HEALTHS, STATUSES
    from cxroadmap.web import MenuEntry

    area.blueprints(views.bp, touchpoint_views.bp)
    area.add(api.bp)
    area.add(exchange.PART)
    area.template_values(STATUSES=STATUSES, HEALTHS=HEALTHS)
    named = Reference(Initiative, lambda initiative: f"{initiative.ref} {initiative.title}")
    area.add(AuditNames(
        objects={"Initiative": _l("Initiative"), "Status update": _l("Status update"), "Milestone": _l("Milestone"),
                 "Dependency": _l("Dependency")},
        references={"initiative_id": named, "depends_on_id": named}))
    area.add(MenuEntry("roadmap", "initiatives.index", _l("Initiatives"), ("initiatives.", "benefits."), place=10))
    area.add(*EVENT_KINDS)
