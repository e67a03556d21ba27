"""Ties of KPIs to the rest: the initiatives meant to move them, and the journey stages they give evidence on."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Initiative
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.measures.models import InitiativeKpi, Kpi, KpiReading
from cxroadmap.measures.services import MAX_VALUE
from cxroadmap.organisations.models import Organisation
from cxroadmap.portions import Portion
from cxroadmap.validation import Problems

# -- initiatives meant to move a KPI ---------------------------------------------------------------------

def link_kpi(initiative: Initiative, kpi: Kpi, expected_change: Decimal | None = None) -> InitiativeKpi:
    """Say the initiative should move the KPI, by about expected_change (signed, in the KPI's unit)."""
    problems = Problems()
    problems.require(kpi.organisation_id == initiative.organisation_id, "kpi",
                     _("Choose a KPI of this organisation."))
    problems.require(expected_change is None or (isinstance(expected_change, Decimal)
                                                 and -MAX_VALUE <= expected_change <= MAX_VALUE),
                     "expected_change", _("The expected change is a number, e.g. 5 or -2.5."))
    problems.raise_if_any()
    link = db.session.scalar(select(InitiativeKpi).where(InitiativeKpi.initiative_id == initiative.id,
                                                         InitiativeKpi.kpi_id == kpi.id))
    if link is None:
        link = InitiativeKpi(initiative=initiative, kpi=kpi)
        db.session.add(link)
    link.expected_change = expected_change
    db.session.flush()
    return link


def unlink_kpi(initiative: Initiative, kpi: Kpi) -> None:
    link = db.session.scalar(select(InitiativeKpi).where(InitiativeKpi.initiative_id == initiative.id,
                                                         InitiativeKpi.kpi_id == kpi.id))
    if link is None:
        raise NotInOrganisation(_("%(ref)s is not tied to %(code)s.", ref=initiative.ref, code=kpi.code))
    db.session.delete(link)
    db.session.flush()


def kpi_links_of(initiative_ids: list[int]) -> dict[int, list[InitiativeKpi]]:
    """The KPIs each initiative should move, with their expected change, by KPI code (one query)."""
    grouped: dict[int, list[InitiativeKpi]] = defaultdict(list)
    if initiative_ids:
        query = (select(InitiativeKpi).join(Kpi).where(InitiativeKpi.initiative_id.in_(initiative_ids))
                 .options(joinedload(InitiativeKpi.kpi)).order_by(Kpi.code))
        for link in db.session.scalars(query):
            grouped[link.initiative_id].append(link)
    return grouped


def initiatives_moving(kpi: Kpi) -> list[InitiativeKpi]:
    """The initiatives meant to move the KPI (not archived), by reference."""
    query = (select(InitiativeKpi).join(Initiative).where(InitiativeKpi.kpi_id == kpi.id,
                                                          Initiative.archived.is_(False))
             .options(joinedload(InitiativeKpi.initiative)).order_by(func.length(Initiative.ref), Initiative.ref))
    return list(db.session.scalars(query))


# -- evidence for readiness ------------------------------------------------------------------------------

def stages_with_recent_x_data(organisation: Organisation, on: date, days: int = 90) -> Portion:
    """Of the journey's stages (the whole), how many had experience data in the last `days` days (the part): a
    reading of an X-data KPI that measures one of the stage's touchpoints, or an expectation/perception score of
    one of them (three queries)."""
    since = on - timedelta(days=days)
    from_kpis = (select(Touchpoint.stage_id).join(Kpi, Kpi.touchpoint_id == Touchpoint.id)
                 .join(KpiReading, KpiReading.kpi_id == Kpi.id)
                 .where(Kpi.organisation_id == organisation.id, Kpi.kind == "x_data",
                        KpiReading.taken_on > since, KpiReading.taken_on <= on))
    from_scores = (select(Touchpoint.stage_id).join(TouchpointScore, TouchpointScore.touchpoint_id == Touchpoint.id)
                   .where(Touchpoint.organisation_id == organisation.id, TouchpointScore.scored_on > since,
                          TouchpointScore.scored_on <= on))
    covered = set(db.session.scalars(from_kpis)) | set(db.session.scalars(from_scores))
    stages = db.session.scalar(select(func.count()).select_from(JourneyStage).where(
        JourneyStage.organisation_id == organisation.id))
    return Portion(part=len(covered), whole=stages or 0)
