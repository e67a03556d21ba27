"""Governance: status history, milestones, dependencies, realised benefits and steering meetings."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames, Reference
    from cxroadmap.governance import api, exchange, initiative_views, views
    from cxroadmap.governance.events import EVENT_KINDS
    from cxroadmap.governance.models import SteeringMeeting
    from cxroadmap.i18n import _l
    from cxroadmap.web import MenuEntry

    area.blueprints(initiative_views.bp, views.bp)
    area.add(api.bp)
    area.add(exchange.PART)
    area.add(AuditNames(
        objects={"Decision": _l("Decision"), "Action": _l("Action"), "Steering meeting": _l("Steering meeting")},
        references={"meeting_id": Reference(SteeringMeeting, lambda meeting: meeting.title)}))
    area.add(MenuEntry("roadmap", "governance.timeline_page", _l("Timeline"), ("governance.timeline",), place=20),
             MenuEntry("governance", "governance.dashboard_page", _l("Dashboard"), ("governance.dashboard",), place=10),
             MenuEntry("governance", "governance.meetings", _l("Meetings"),
                       ("governance.meeting", "governance.edit_meeting", "governance.record", "governance.assign"),
                       place=30))
    area.add(*EVENT_KINDS)
