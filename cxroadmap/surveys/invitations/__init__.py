"""Personal invitations to surveys: a contact list uploaded or one contact sent by another system (the API), each
mailed a single-use link by the background work, reminded once, with an unsubscribe link honoured for every
survey of the organisation and a quiet period between two invitations of one person."""


def contribute(area) -> None:
    """What invitations add to the surveys area: their pages, their timed work, their audit names."""
    from datetime import timedelta

    from cxroadmap.areas import TimedWork
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.surveys.invitations import sending, views  # noqa: F401 - views add routes to the survey pages
    from cxroadmap.surveys.invitations.public import bp

    area.blueprints(bp)
    area.add(AuditNames(
        objects={"Survey invitations": _l("Survey invitations")},
        actions={"invitations_uploaded": _l("contacts uploaded and invited"),
                 "address_unsubscribed": _l("unsubscribed from surveys"),
                 "suppression_removed": _l("taken off the suppression list")}))
    area.add(TimedWork("survey-invitations", run=sending.send_invitations, due=sending.invitations_due,
                       every=timedelta(minutes=1), said=sending.said))
