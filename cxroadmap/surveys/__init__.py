"""Listening to customers: surveys at the touchpoints of the journey, their public links and QR codes, the answers
customers give, and what those answers move at once (the KPI's reading, the touchpoint's scores)."""


def load(area) -> None:
    from datetime import timedelta

    from cxroadmap.areas import DemoData, TimedWork
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l, ngettext
    from cxroadmap.measures.answers import AnswerImport
    from cxroadmap.surveys import api, exchange, report
    from cxroadmap.surveys.demo import seed_surveys
    from cxroadmap.surveys.imports import import_for_kpi
    from cxroadmap.surveys.invitations import contribute
    from cxroadmap.surveys.lane import init_app as init_answer_lane
    from cxroadmap.surveys.listening import listening_panel
    from cxroadmap.surveys.privacy import delete_expired, expired_count
    from cxroadmap.surveys.public import bp as public_bp
    from cxroadmap.surveys.settling import settle_waiting, waiting_count
    from cxroadmap.surveys.views import bp
    from cxroadmap.web import MenuEntry, PagePanel

    contribute(area)  # first: its views add routes to the survey pages' blueprint before it is registered
    area.blueprints(bp, public_bp)
    area.add(PagePanel(("overview", "dashboard"), listening_panel, place=20))
    area.add(api.bp, *report.SECTIONS)
    area.add(exchange.PART)
    area.add(AuditNames(
        objects={"Survey": _l("Survey"), "Survey privacy": _l("Survey privacy"),
                 "Survey answers": _l("Survey answers"), "Comment theme": _l("Comment theme")},
        actions={"answers_expired": _l("deleted after the retention period"),
                 "answers_looked_up": _l("looked up for the person"),
                 "answers_exported": _l("exported for the person"),
                 "answers_erased": _l("erased at the person's request")},
    ))
    area.add(MenuEntry("governance", "surveys.index", _l("Surveys"), ("surveys.",), place=25))
    # What a stopped process left unsettled (its thread settles its own answers within a second).
    area.add(TimedWork("survey-settling", run=settle_waiting, due=waiting_count, every=timedelta(minutes=1),
                       said=lambda count: ngettext("Settled %(num)d survey answer.",
                                                   "Settled %(num)d survey answers.", count)))
    area.add(TimedWork("survey-retention", run=delete_expired, due=expired_count, every=timedelta(hours=6),
                       said=lambda count: ngettext("Deleted %(num)d answer past its retention period.",
                                                   "Deleted %(num)d answers past their retention period.", count)))
    area.add(DemoData("surveys", seed_surveys))
    area.add(AnswerImport(run=import_for_kpi))
    init_answer_lane(area.app)  # answers through public links, taken in front of the application
