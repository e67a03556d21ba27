"""The customer journey: stages, touchpoints, and the gap between what customers expect and perceive."""


def load(area) -> None:
    from cxroadmap.audit.labels import AuditNames
    from cxroadmap.i18n import _l
    from cxroadmap.journey import api, deck, exchange, report, story
    from cxroadmap.journey.formatting import format_gap, format_score
    from cxroadmap.journey.services import touchpoint_names
    from cxroadmap.journey.views import bp
    from cxroadmap.web import MenuEntry

    area.blueprints(bp)
    area.add(api.bp)
    area.add(report.FIGURES, *report.SECTIONS, story.LINE, deck.PART, report.READABLE)
    area.add(exchange.PART)
    area.template_values(gap_text=format_gap, score_text=format_score)
    area.add(AuditNames(
        objects={"Journey stage": _l("Journey stage"), "Touchpoint": _l("Touchpoint"),
                 "Touchpoint score": _l("Touchpoint score")},
        organisation_keys={"touchpoints": touchpoint_names}))
    area.add(MenuEntry("strategy", "journey.index", _l("Journey"), ("journey.",), place=30))
