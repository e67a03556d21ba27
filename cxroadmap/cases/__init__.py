"""Follow-up cases: every unhappy answer opens a case for the team that owns its touchpoint, worked to a close."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import DemoData, TimedWork
    from cxroadmap.audit.labels import AuditNames, Reference
    from cxroadmap.cases import api, exchange, mails, opening, report
    from cxroadmap.cases.demo import seed_cases
    from cxroadmap.cases.events import EVENT_KINDS
    from cxroadmap.cases.kinds import CASE_STATUSES
    from cxroadmap.cases.views import bp, dashboard_panel
    from cxroadmap.i18n import _l
    from cxroadmap.journey.models import Touchpoint
    from cxroadmap.web import MenuEntry, PagePanel

    area.blueprints(bp)
    area.add(api.bp)
    area.add(exchange.PART)
    area.template_values(CASE_STATUSES=CASE_STATUSES)
    area.add(PagePanel(("overview", "dashboard"), dashboard_panel, place=10))
    area.add(AuditNames(
        objects={"Follow-up case": _l("Follow-up case"), "Follow-up settings": _l("Follow-up settings")},
        fields={"root_cause": _l("Root cause"), "outcome": _l("Outcome"), "notes": _l("Notes"),
                "nps_at_most": _l("NPS at most"), "csat_at_most": _l("CSAT at most"), "ces_at_most": _l("CES at most"),
                "gap_at_most": _l("Touchpoint gap at most"), "service_days": _l("Service level (working days)"),
                "root_causes": _l("Root causes"), "followed_up_at": _l("Followed up"), "closed_at": _l("Closed"),
                "reminded_at": _l("Reminded"), "touchpoint_id": _l("Touchpoint")},
        references={"touchpoint_id": Reference(Touchpoint, lambda touchpoint: touchpoint.name)}))
    area.add(MenuEntry("governance", "cases.index", _l("Follow-up cases"), ("cases.",), place=25))
    area.add(*EVENT_KINDS)
    area.add(TimedWork("case-reminders", run=mails.remind_overdue, due=mails.reminders_due,
                       every=timedelta(minutes=5), said=mails.said))
    area.add(DemoData("cases", seed_cases))
    area.add(report.SECTION)
    opening.listen()
