"""Slack and Microsoft Teams: an organisation's channels, each posted the events it chose (the kinds the areas
register), in the organisation's language, with retries, beside the webhooks."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import TimedWork
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.chat.channels import backlog, deliver, messages_due, record_event
    from cxroadmap.chat.views import bp
    from cxroadmap.i18n import _l, ngettext
    from cxroadmap.notifications.events import EventSink
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(EventSink("chat", record_event))
    area.add(AuditNames(objects={"Chat channel": _l("Chat channel")}))
    area.add(MenuEntry("admin", "chat.settings", _l("Slack and Teams"), ("chat.",), role="admin", place=21))
    area.add(TimedWork("chat", run=deliver, due=messages_due, every=timedelta(seconds=10),
                       said=lambda count: ngettext("Made %(num)d chat post.", "Made %(num)d chat posts.", count)))
    area.add(backlog())
