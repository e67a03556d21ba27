"""Following an initiative through time: its status history, milestones and slips, and what it depends on."""

from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.audit.services import current_actor
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone, MilestoneSlip, StatusUpdate
from cxroadmap.initiatives.services import update_initiative
from cxroadmap.organisations.models import Organisation, hold
from cxroadmap.organisations.services import found_or_refuse
from cxroadmap.portions import Portion
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, tidy

# -- status updates ------------------------------------------------------------------------------------


def post_status_update(organisation: Organisation, initiative: Initiative, *, status: str, health: str,
                       progress: int, note: str, expected_version: int | None = None) -> StatusUpdate | None:
    """Say where the initiative stands and why; its status, health and progress follow, and the history keeps it."""
    if not tidy(note):
        raise DomainError({"note": _("Say in a sentence what changed or why.")})
    update_initiative(organisation, initiative, expected_version=expected_version, note=note, status=status,
                      health=health, progress=progress)
    return history(initiative)[0]


def history(initiative: Initiative, limit: int | None = None) -> list[StatusUpdate]:
    query = select(StatusUpdate).where(StatusUpdate.initiative_id == initiative.id).order_by(
        StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(), StatusUpdate.id.desc())
    return list(db.session.scalars(query.limit(limit) if limit else query))


def latest_updates(organisation: Organisation) -> dict[int, date]:
    """The date of each initiative's latest status update (one query)."""
    query = (StatusUpdate.scoped_to(organisation).with_only_columns(StatusUpdate.initiative_id,
                                                                    func.max(StatusUpdate.posted_on))
             .group_by(StatusUpdate.initiative_id))
    return dict(db.session.execute(query).all())


def all_history(initiatives: list[Initiative]) -> dict[int, list[StatusUpdate]]:
    """Each initiative's whole history, oldest first (one query)."""
    grouped: dict[int, list[StatusUpdate]] = {i.id: [] for i in initiatives}
    if initiatives:
        query = select(StatusUpdate).where(StatusUpdate.initiative_id.in_(list(grouped))).order_by(
            StatusUpdate.posted_on, StatusUpdate.posted_at, StatusUpdate.id)
        for update in db.session.scalars(query):
            grouped[update.initiative_id].append(update)
    return grouped


def recent_updates(initiatives: list[Initiative], per_initiative: int = 3) -> dict[int, list[StatusUpdate]]:
    """The latest few updates of each of the initiatives (one query)."""
    grouped: dict[int, list[StatusUpdate]] = {i.id: [] for i in initiatives}
    if initiatives:
        query = select(StatusUpdate).where(StatusUpdate.initiative_id.in_(list(grouped))).order_by(
            StatusUpdate.initiative_id, StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(),
            StatusUpdate.id.desc())
        for update in db.session.scalars(query):
            if len(grouped[update.initiative_id]) < per_initiative:
                grouped[update.initiative_id].append(update)
    return grouped


# -- milestones ----------------------------------------------------------------------------------------

def _check_milestone(title: str, due_on: date | None) -> None:
    problems = Problems()
    check_line(problems, "title", title, 200, required=True)
    check_date(problems, "due_on", due_on, required=True)
    problems.raise_if_any()


def add_milestone(initiative: Initiative, title: str, due_on: date) -> Milestone:
    title = tidy(title)
    _check_milestone(title, due_on)
    milestone = Milestone(initiative=initiative, title=title, due_on=due_on, original_due_on=due_on)
    db.session.add(milestone)
    db.session.flush()
    return milestone


def milestone_of(initiative: Initiative, milestone_id: int) -> Milestone:
    """The initiative's milestone with this id; NotInOrganisation for any other."""
    query = select(Milestone).where(Milestone.id == milestone_id, Milestone.initiative_id == initiative.id)
    return found_or_refuse(db.session.scalar(query), Milestone)


def move_milestone(milestone: Milestone, due_on: date, on: date | None = None) -> Milestone:
    """Give a milestone a new due date; a later date is a slip, kept with its size, date and author."""
    _check_milestone(milestone.title, due_on)
    if due_on > milestone.due_on:
        milestone.slips.append(MilestoneSlip(moved_on=on or today(), from_date=milestone.due_on, to_date=due_on,
                                             author=current_actor().label))
    milestone.due_on = due_on
    db.session.flush()
    return milestone


def complete_milestone(milestone: Milestone, done_on: date | None) -> Milestone:
    """Mark the milestone done on a date (or not done, with None)."""
    problems = Problems()
    check_date(problems, "done_on", done_on, not_after=today() + timedelta(days=1))
    problems.raise_if_any()
    milestone.done_on = done_on
    db.session.flush()
    return milestone


def milestones_of(initiatives: list[Initiative]) -> dict[int, list[Milestone]]:
    """Each initiative's milestones with their slips, by due date (two queries)."""
    grouped: dict[int, list[Milestone]] = {i.id: [] for i in initiatives}
    if initiatives:
        query = (select(Milestone).where(Milestone.initiative_id.in_(list(grouped)))
                 .options(selectinload(Milestone.slips)).order_by(Milestone.due_on, Milestone.id))
        for milestone in db.session.scalars(query):
            grouped[milestone.initiative_id].append(milestone)
    return grouped


def organisation_milestones(organisation: Organisation) -> list[Milestone]:
    """The milestones of initiatives that are not archived, each with its initiative (slips are not loaded:
    what is overdue and what was kept need only the dates), by due date."""
    query = (Milestone.scoped_to(organisation).where(Initiative.archived.is_(False))
             .options(joinedload(Milestone.initiative))
             .order_by(Milestone.due_on, Milestone.id))
    return list(db.session.scalars(query))


def commitment_integrity(milestones: list[Milestone], on: date) -> Portion:
    """Of the milestones whose original date has come (the whole), how many were delivered by it (the part)."""
    due = [m for m in milestones if m.original_due_on <= on]
    return Portion(part=sum(1 for m in due if m.kept_original_date()), whole=len(due))


# -- dependencies --------------------------------------------------------------------------------------

def _depends_transitively(organisation: Organisation, start: Initiative, target: Initiative) -> bool:
    """Whether `start` already waits (directly or through others) for `target`."""
    edges: dict[int, set[int]] = {}
    for dependant, needed in db.session.execute(
            Dependency.scoped_to(organisation).with_only_columns(Dependency.initiative_id, Dependency.depends_on_id)):
        edges.setdefault(dependant, set()).add(needed)
    seen, frontier = set(), [start.id]
    while frontier:
        current = frontier.pop()
        if current == target.id:
            return True
        if current not in seen:
            seen.add(current)
            frontier.extend(edges.get(current, ()))
    return False


def add_dependency(organisation: Organisation, initiative: Initiative, depends_on: Initiative) -> Dependency:
    """Say that initiative waits for depends_on; both of this organisation, no loops."""
    if depends_on.organisation_id != organisation.id or initiative.organisation_id != organisation.id:
        raise DomainError({"depends_on": _("Choose an initiative of this organisation.")})
    if depends_on.id == initiative.id:
        raise DomainError({"depends_on": _("An initiative cannot wait for itself.")})
    hold(organisation)
    exists = db.session.scalar(select(Dependency.id).where(Dependency.initiative_id == initiative.id,
                                                          Dependency.depends_on_id == depends_on.id))
    if exists:
        raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s.", ref=initiative.ref,
                                           other=depends_on.ref)})
    if _depends_transitively(organisation, depends_on, initiative):
        raise DomainError({"depends_on": _("%(ref)s already waits for %(other)s: that would be a loop.",
                                           ref=depends_on.ref, other=initiative.ref)})
    dependency = Dependency(initiative=initiative, depends_on=depends_on)
    db.session.add(dependency)
    db.session.flush()
    return dependency


def dependency_of(initiative: Initiative, dependency_id: int) -> Dependency:
    """A dependency with this id that the initiative waits for or is needed by; NotInOrganisation otherwise."""
    query = select(Dependency).where(Dependency.id == dependency_id, or_(
        Dependency.initiative_id == initiative.id, Dependency.depends_on_id == initiative.id))
    return found_or_refuse(db.session.scalar(query), Dependency)


def remove_dependency(dependency: Dependency) -> None:
    db.session.delete(dependency)
    db.session.flush()


def dependencies_of(initiative: Initiative) -> list[Dependency]:
    """What the initiative waits for and what waits for it, both initiatives loaded (one query)."""
    query = (select(Dependency).where(or_(Dependency.initiative_id == initiative.id,
                                          Dependency.depends_on_id == initiative.id))
             .options(joinedload(Dependency.initiative), joinedload(Dependency.depends_on)).order_by(Dependency.id))
    return list(db.session.scalars(query))


def dependencies(organisation: Organisation) -> list[Dependency]:
    """Every dependency with both initiatives loaded (one query)."""
    query = Dependency.scoped_to(organisation).options(joinedload(Dependency.initiative),
                                                       joinedload(Dependency.depends_on))
    return list(db.session.scalars(query))
