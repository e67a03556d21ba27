"""The steering committee's dashboard, gathered in a fixed number of queries."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cxroadmap.benefits.services import estimated_vs_realised
from cxroadmap.coalition.services import RoleCoverage, role_coverage, teams_with_roles
from cxroadmap.governance.models import ActionItem
from cxroadmap.governance.services import open_actions
from cxroadmap.initiatives.models import Initiative, Milestone
from cxroadmap.initiatives.services import all_initiatives
from cxroadmap.initiatives.tracking import (
    Integrity,
    commitment_integrity,
    latest_updates,
    organisation_milestones,
)
from cxroadmap.journey.reading import ExperienceAlerts, experience_alerts
from cxroadmap.maturity.services import stage_history
from cxroadmap.measures.services import KpiFigures, off_track
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.readiness.services import readiness_scores
from cxroadmap.stages import STAGES


@dataclass(frozen=True)
class Dashboard:
    on: date
    stale_days: int
    red_amber: list[Initiative]
    overdue_milestones: list[Milestone]
    overdue_actions: list[ActionItem]
    stale: list[tuple[Initiative, date | None]]  # open, and no update for stale_days (None: never)
    stage_points: list[tuple[date, int]]
    target_stage: int | None
    readiness: dict[str, ReadinessAssessment | None]
    coverage: RoleCoverage
    money: list[tuple[int, Decimal, Decimal]]  # (year, estimated risk-adjusted, realised)
    integrity: Integrity
    experience: ExperienceAlerts  # the widest gaps on the journey, moments of truth without recent scores
    kpis_off_track: list[KpiFigures]  # worst achievement first


def dashboard(organisation: Organisation, on: date, stale_days: int, role_max_age_days: int,
              horizon_years: int) -> Dashboard:
    initiatives = [i for i in all_initiatives(organisation, include_archived=False) if i.is_open]
    last = latest_updates(organisation)
    milestones = organisation_milestones(organisation)
    history = list(reversed(stage_history(organisation)))
    first_year = min([on.year - 1] + [i.start_date.year for i in initiatives if i.start_date])
    return Dashboard(
        on=on, stale_days=stale_days,
        red_amber=sorted((i for i in initiatives if i.health in ("red", "amber")),
                         key=lambda i: (i.health != "red", i.due_date or date.max, i.ref)),
        overdue_milestones=[m for m in milestones if m.is_overdue(on) and m.initiative.is_open],
        overdue_actions=[a for a in open_actions(organisation) if a.is_overdue(on)],
        stale=[(i, last.get(i.id)) for i in initiatives
               if last.get(i.id) is None or last[i.id] < on - timedelta(days=stale_days)],
        stage_points=[(a.assessed_on, STAGES.position(a.stage)) for a in history],
        target_stage=STAGES.position(organisation.target_stage) if organisation.target_stage else None,
        readiness=readiness_scores(organisation),
        coverage=role_coverage(teams_with_roles(organisation), on, role_max_age_days),
        money=estimated_vs_realised(organisation, list(range(max(first_year, on.year - 3),
                                                              on.year + horizon_years)), on),
        integrity=commitment_integrity(milestones, on),
        experience=experience_alerts(organisation, on),
        kpis_off_track=off_track(organisation, on),
    )
