"""The append-only audit trail: every change, sign-in and refusal, and how it is named."""


def load(area) -> None:
    from cxroadmap.audit.labels import action_name, actor_text, object_name, visible_changes
    from cxroadmap.audit.views import bp
    from cxroadmap.i18n import _l
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.template_values(audit_object=object_name, audit_action=action_name, audit_actor=actor_text,
                         audit_changes=visible_changes)
    area.add(MenuEntry("admin", "audit.index", _l("Audit trail"), ("audit.",), role="steering", place=30))
