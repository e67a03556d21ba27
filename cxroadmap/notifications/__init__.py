"""Telling people, as machinery the areas use: webhook endpoints, the events the areas register
(`events.EventKind`) and their signed deliveries, the record of what was sent, the organisation's mail settings."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import TimedWork
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l, ngettext
    from cxroadmap.mail import queued_mail_due, send_queued_mail
    from cxroadmap.notifications.notify import deliver, deliveries_due
    from cxroadmap.notifications.views import bp
    from cxroadmap.notifications.webhooks import backlog
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(AuditNames(objects={"Mail settings": _l("Mail settings"), "Webhook endpoint": _l("Webhook endpoint")},
                        actions={"webhook_disabled": _l("webhook disabled")}))
    area.add(MenuEntry("admin", "notifications.settings", _l("Mail and webhooks"), ("notifications.",), role="admin",
                       place=20))
    # Deliveries leave within seconds of the event that made them; events raised by time are looked for as often.
    area.add(TimedWork("webhooks", run=deliver, due=deliveries_due, every=timedelta(seconds=10),
                       said=lambda count: ngettext("Made %(num)d webhook delivery.", "Made %(num)d webhook deliveries.",
                                                   count)))
    # Mail a request asked for (a password reset) is made and sent here, never inside the request; each commit
    # that queues some also starts its sending at once (mail.send_queued_soon), so this only picks up retries.
    area.add(TimedWork("queued-mail", run=send_queued_mail, due=queued_mail_due, every=timedelta(seconds=30),
                       said=lambda count: ngettext("Sent %(num)d queued mail.", "Sent %(num)d queued mails.",
                                                   count)))
    area.add(backlog())
