"""Telling people: digests and meeting packs by mail, and signed webhooks; sent by `flask notify`."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.notifications.views import bp, mail_links
    from cxroadmap.web import MenuEntry

    area.blueprints(bp, mail_links)
    area.add(AuditNames(objects={"Mail settings": _l("Mail settings"), "Webhook endpoint": _l("Webhook endpoint")},
                        actions={"unsubscribed": _l("unsubscribed"), "webhook_disabled": _l("webhook disabled")}))
    area.add(MenuEntry("admin", "notifications.settings", _l("Mail and webhooks"), ("notifications.",), role="admin",
                       place=20))
