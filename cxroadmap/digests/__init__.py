"""Digests and meeting packs by mail: each person's digest, the steering committee's week, a meeting's agenda and
steering pack, sent at the organisation's hour in its time zone by the scheduler; and the unsubscribe link."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import TimedWork
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.digests.mails import mails_due, said, send_mails
    from cxroadmap.digests.views import mail_links
    from cxroadmap.i18n import _l

    area.blueprints(mail_links)
    area.add(AuditNames(actions={"unsubscribed": _l("unsubscribed")}))
    area.add(TimedWork("mail", run=send_mails, due=mails_due, every=timedelta(minutes=5), said=said))
