"""The progress story of a report: what happened since the previous report of the same kind.

Gathered here in a fixed number of queries, however many initiatives there are; the renderer only lays it out.
Without an earlier report of the kind, the story covers a stated period (reportkit.making.PERIOD_DAYS).
"""

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from cxroadmap.accounts.people import names_for
from cxroadmap.benefits import calc
from cxroadmap.benefits.models import BenefitActual, BenefitEstimate
from cxroadmap.benefits.services import case_start, streams_of
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.governance.services import open_actions
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone, MilestoneSlip, StatusUpdate
from cxroadmap.initiatives.tracking import dependencies, latest_updates, organisation_milestones
from cxroadmap.money import ZERO, to_cents
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.making import Baseline


@dataclass(frozen=True)
class Slip:
    milestone: Milestone
    from_date: date
    to_date: date

    @property
    def days(self) -> int:
        return (self.to_date - self.from_date).days


@dataclass(frozen=True)
class InitiativeProgress:
    """One initiative's story over the period."""

    initiative: Initiative
    then: dict | None  # its status, health and progress at the start (None: it is new since)
    note: StatusUpdate | None  # the latest status update posted in the period
    note_author: str
    done: list[Milestone]
    slipped: list[Slip]
    overdue: list[Milestone]
    decisions: list[Decision]
    estimated: Decimal  # risk-adjusted benefit estimated up to the end of the last full month
    realised: Decimal  # realised up to the end of the last full month

    def change(self, what: str) -> tuple | None:
        """(then, now) of status, health or progress when it changed, else None."""
        now = getattr(self.initiative, what)
        if self.then is None or self.then.get(what) is None or self.then[what] == now:
            return None
        return self.then[what], now

    @property
    def moved(self) -> bool:
        return self.then is None or any(self.change(what) for what in ("status", "health", "progress"))


@dataclass(frozen=True)
class Progress:
    baseline: Baseline
    on: date
    benefit_until: date  # the last day of the last full month: realised and estimated are counted up to it
    stale_days: int
    changed: list[InitiativeProgress]  # in reference order
    stalled: list[tuple[Initiative, date | None]]  # open, no status update for stale_days (None: never)
    overdue_milestones: list[Milestone]
    red: list[Initiative]
    blocked: list[Dependency]  # waits for an initiative that is cancelled, red or overdue
    open_actions: list[ActionItem]
    decisions: list[Decision]  # taken in the period, with the meeting and the initiatives they name

    @property
    def moved(self) -> list[InitiativeProgress]:
        return [p for p in self.changed if p.moved]

    @property
    def overdue_actions(self) -> list[ActionItem]:
        return [a for a in self.open_actions if a.is_overdue(self.on)]


def _state_before(organisation: Organisation, day: date) -> dict[str, dict]:
    """Each initiative's status, health and progress by its latest status update before day (one query)."""
    latest = (StatusUpdate.scoped_to(organisation).where(StatusUpdate.posted_on < day)
              .with_only_columns(StatusUpdate.initiative_id, func.max(StatusUpdate.id).label("last"))
              .group_by(StatusUpdate.initiative_id).subquery())
    query = (select(Initiative.ref, StatusUpdate.status, StatusUpdate.health, StatusUpdate.progress)
             .join(latest, latest.c.last == StatusUpdate.id)
             .join(Initiative, Initiative.id == StatusUpdate.initiative_id))
    return {ref: {"status": status, "health": health, "progress": progress}
            for ref, status, health, progress in db.session.execute(query)}


def _estimated_until(streams, last_month: int) -> Decimal:
    """Risk-adjusted benefit of the streams from their start up to and including month number last_month."""
    total = ZERO
    for stream in streams:
        first = calc.month_number(stream.starts_on)
        total += sum((calc.monthly_benefit(stream, m) for m in range(first, last_month + 1)), ZERO)
    return to_cents(total)


def gather_progress(organisation: Organisation, initiatives, on: date, base: Baseline, stale_days: int) -> Progress:
    """The progress story of the organisation on `on` since the baseline (see `baseline`).

    `initiatives` are the report's InitiativeFigures (every initiative that is not archived, with its estimates),
    so the benefit figures need no query of their own.
    """
    since, since_at = base.since, base.since_at
    by_id = {f.initiative.id: f for f in initiatives}
    then = base.snapshot.get("initiatives") if base.report else _state_before(organisation, since)

    notes: dict[int, StatusUpdate] = {}
    # Posted in the period: on or after its first day, and after the previous report was issued.
    posted = StatusUpdate.scoped_to(organisation).where(StatusUpdate.posted_on >= since,
                                                        StatusUpdate.posted_at >= since_at)
    for update in db.session.scalars(posted.order_by(StatusUpdate.posted_on, StatusUpdate.posted_at,
                                                     StatusUpdate.id)):
        notes[update.initiative_id] = update  # the latest wins
    authors = names_for(organisation, [u.author for u in notes.values()])

    milestones = organisation_milestones(organisation)
    moved: dict[int, list[MilestoneSlip]] = {}  # the slips of the period, in one query rather than one a milestone
    for slip in db.session.scalars(
            select(MilestoneSlip).join(Milestone).join(Initiative)
            .where(Initiative.organisation_id == organisation.id, MilestoneSlip.moved_on >= since,
                   MilestoneSlip.to_date > MilestoneSlip.from_date)
            .order_by(MilestoneSlip.id)):
        moved.setdefault(slip.milestone_id, []).append(slip)
    done, slipped, overdue, all_overdue = {}, {}, {}, []
    for m in milestones:
        if m.done_on is not None and m.done_on >= since:
            done.setdefault(m.initiative_id, []).append(m)
        moves = moved.get(m.id, [])
        if moves:
            slipped.setdefault(m.initiative_id, []).append(Slip(m, moves[0].from_date, moves[-1].to_date))
        if m.is_overdue(on) and m.initiative.is_open:
            overdue.setdefault(m.initiative_id, []).append(m)
            all_overdue.append(m)

    decisions = list(db.session.scalars(
        Decision.scoped_to(organisation).where(or_(SteeringMeeting.held_on >= since, Decision.created_at >= since_at))
        .options(selectinload(Decision.initiatives)).order_by(SteeringMeeting.held_on, Decision.id)))
    decided: dict[int, list[Decision]] = {}
    for decision in decisions:
        for initiative in decision.initiatives:
            decided.setdefault(initiative.id, []).append(decision)

    first_of_month = on.replace(day=1)
    benefit_until = first_of_month - timedelta(days=1)
    realised = dict(db.session.execute(
        BenefitActual.scoped_to(organisation).where(BenefitActual.month < first_of_month)
        .with_only_columns(BenefitEstimate.initiative_id, func.sum(BenefitActual.amount))
        .group_by(BenefitEstimate.initiative_id)).all())
    recorded = set(db.session.scalars(
        BenefitActual.scoped_to(organisation).where(BenefitActual.created_at >= since_at)
        .with_only_columns(BenefitEstimate.initiative_id).distinct()))

    changed = []
    for f in initiatives:
        i = f.initiative
        before = None if then is None else then.get(i.ref)
        if before is None and base.report is None and i.created_at is not None and _aware(i.created_at) < since_at:
            before = {}  # there before the period, with no status update: nothing to compare its state with
        story = InitiativeProgress(
            initiative=i, then=before, note=notes.get(i.id),
            note_author=authors.get(notes[i.id].author, "") if i.id in notes else "",
            done=done.get(i.id, []), slipped=slipped.get(i.id, []), overdue=overdue.get(i.id, []),
            decisions=decided.get(i.id, []),
            estimated=_estimated_until(streams_of(f.benefits, case_start(i, on)), calc.month_number(benefit_until)),
            realised=Decimal(realised.get(i.id) or ZERO))
        if (story.moved or story.note or story.done or story.slipped or story.decisions or i.id in recorded):
            changed.append(story)

    open_ones = [f.initiative for f in initiatives if f.initiative.is_open]
    last = latest_updates(organisation)
    return Progress(
        baseline=base, on=on, benefit_until=benefit_until, stale_days=stale_days, changed=changed,
        stalled=[(i, last.get(i.id)) for i in open_ones
                 if last.get(i.id) is None or last[i.id] < on - timedelta(days=stale_days)],
        overdue_milestones=[m for m in all_overdue if m.initiative_id in by_id],
        red=[i for i in open_ones if i.health == "red"],
        blocked=[d for d in dependencies(organisation)
                 if d.initiative.is_open and not d.initiative.archived and (
                     d.depends_on.status == "cancelled" or (d.depends_on.status != "done" and (
                         d.depends_on.health == "red" or d.depends_on.is_overdue(on))))],
        open_actions=open_actions(organisation), decisions=decisions,
    )


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
