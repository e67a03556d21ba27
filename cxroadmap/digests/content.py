"""What a digest holds: a person's own due and overdue work in one organisation, and the steering committee's week."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.governance.dashboard import Dashboard, dashboard
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.initiatives.models import Initiative, Milestone, StatusUpdate
from cxroadmap.initiatives.tracking import latest_updates
from cxroadmap.measures.models import Kpi
from cxroadmap.measures.services import KpiFigures, figures_of_many, readings_by_kpi
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.models import IssuedReport

MILESTONE_WINDOW_DAYS = 14
KPI_READING_DUE_DAYS = 35  # a KPI with no reading in this many days is due one


@dataclass
class PersonalDigest:
    organisation: Organisation
    on: date
    stale_days: int
    overdue_actions: list[ActionItem] = field(default_factory=list)
    stale: list[tuple[Initiative, date | None]] = field(default_factory=list)
    milestones: list[Milestone] = field(default_factory=list)
    # The person's KPIs that are off track or due a reading: (figures, due a reading).
    kpis: list[tuple[KpiFigures, bool]] = field(default_factory=list)
    # Other areas add their sections here: (title, lines).
    extra: list[tuple[str, list[str]]] = field(default_factory=list)

    @property
    def kpi_due_days(self) -> int:
        return KPI_READING_DUE_DAYS

    @property
    def empty(self) -> bool:
        return not (self.overdue_actions or self.stale or self.milestones or self.kpis or self.extra)


def kpis_needing_attention(organisation: Organisation, member: CoalitionMember,
                           on: date) -> list[tuple[KpiFigures, bool]]:
    """The member's KPIs whose latest reading is off track or that had no reading in KPI_READING_DUE_DAYS days."""
    owned = list(db.session.scalars(Kpi.scoped_to(organisation).where(Kpi.owner_id == member.id)
                                    .order_by(Kpi.code)))
    readings = readings_by_kpi([kpi.id for kpi in owned])
    limit = on - timedelta(days=KPI_READING_DUE_DAYS)
    found = []
    for figures in figures_of_many(owned, readings, on):
        due = figures.latest is None or figures.latest.taken_on < limit
        if due or figures.status == "off_track":
            found.append((figures, due))
    return found


def member_for(organisation: Organisation, email: str) -> CoalitionMember | None:
    """The coalition member a signed-in person is in this organisation: the one with their email."""
    return db.session.scalar(CoalitionMember.scoped_to(organisation).where(
        func.lower(CoalitionMember.email) == email.lower()).limit(1))


def personal_digest(organisation: Organisation, email: str, on: date, stale_days: int) -> PersonalDigest:
    """The person's overdue actions, own initiatives with no update for stale_days, own milestones due soon."""
    digest = PersonalDigest(organisation, on, stale_days)
    member = member_for(organisation, email)
    if member is None:
        return digest
    digest.overdue_actions = list(db.session.scalars(
        ActionItem.scoped_to(organisation).where(ActionItem.owner_id == member.id, ActionItem.status == "open",
                                                 ActionItem.due_on < on)
        .options(joinedload(ActionItem.initiative)).order_by(ActionItem.due_on, ActionItem.id)))
    owned = list(db.session.scalars(Initiative.scoped_to(organisation).where(
        Initiative.owner_id == member.id, Initiative.archived.is_(False)).order_by(Initiative.id)))
    owned = [i for i in owned if i.is_open]
    last = latest_updates(organisation)
    limit = on - timedelta(days=stale_days)
    digest.stale = [(i, last.get(i.id)) for i in owned if last.get(i.id) is None or last[i.id] < limit]
    if owned:
        digest.milestones = list(db.session.scalars(
            select(Milestone).where(Milestone.initiative_id.in_([i.id for i in owned]), Milestone.done_on.is_(None),
                                    Milestone.due_on >= on,
                                    Milestone.due_on <= on + timedelta(days=MILESTONE_WINDOW_DAYS))
            .options(joinedload(Milestone.initiative)).order_by(Milestone.due_on, Milestone.id)))
    digest.kpis = kpis_needing_attention(organisation, member, on)
    return digest


@dataclass
class SteeringDigest:
    organisation: Organisation
    on: date
    since: date
    board: Dashboard
    updates: list[StatusUpdate]
    decisions: list[Decision]
    reports: list[IssuedReport]
    next_meeting: SteeringMeeting | None

    @property
    def empty(self) -> bool:
        b = self.board
        return not (b.red_amber or b.overdue_milestones or b.overdue_actions or b.stale or self.updates
                    or self.decisions or self.reports)


def steering_digest(organisation: Organisation, on: date, config) -> SteeringDigest:
    """What the dashboard says needs attention, and what changed in the seven days before `on`."""
    since = on - timedelta(days=7)
    start = datetime.combine(since, time.min, tzinfo=UTC)
    board = dashboard(organisation, on, config["STALE_UPDATE_DAYS"], config["ROLE_STATEMENT_MAX_AGE_DAYS"],
                      config["BENEFIT_HORIZON_YEARS"])
    updates = list(db.session.scalars(StatusUpdate.scoped_to(organisation).where(StatusUpdate.posted_on >= since)
                                      .options(joinedload(StatusUpdate.initiative))
                                      .order_by(StatusUpdate.posted_on.desc(), StatusUpdate.id.desc()).limit(30)))
    decisions = list(db.session.scalars(Decision.scoped_to(organisation).where(SteeringMeeting.held_on >= since)
                                        .order_by(Decision.id)))
    reports = list(db.session.scalars(IssuedReport.scoped_to(organisation).where(IssuedReport.issued_at >= start)
                                      .order_by(IssuedReport.issued_at)))
    next_meeting = db.session.scalar(SteeringMeeting.scoped_to(organisation).where(SteeringMeeting.held_on >= on)
                                     .order_by(SteeringMeeting.held_on, SteeringMeeting.id).limit(1))
    return SteeringDigest(organisation, on, since, board, updates, decisions, reports, next_meeting)
