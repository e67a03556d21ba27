"""Calendars: each person's private subscription address (their organisations' milestones and steering meetings,
their own actions) and the invitations attendees get by mail when a meeting is planned, moved or cancelled."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.calendars import invitations  # noqa: F401 - its flush hooks and mail kind register on import
    from cxroadmap.calendars.views import bp
    from cxroadmap.i18n import _l
    from cxroadmap.web import PagePanel

    area.blueprints(bp)
    area.add(PagePanel.of_template(("account",), "calendars/_account_card.html"))
    area.add(AuditNames(objects={"Calendar subscription": _l("Calendar subscription")},
                        actions={"calendar_issued": _l("calendar address made"),
                                 "calendar_renewed": _l("calendar address renewed"),
                                 "calendar_revoked": _l("calendar address revoked")}))
