"""The closed-loop figures: share of alerts followed up within the service level, time to close, root causes."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from statistics import median

from sqlalchemy.orm import selectinload

from cxroadmap.cases import clock
from cxroadmap.cases.models import Case
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.portions import Portion
from cxroadmap.timeutil import aware

PERIOD_DAYS = 90


@dataclass(frozen=True)
class LoopFigures:
    """Of a set of cases: how many, how many can be judged against the service level (followed up, or past due),
    how many of those were followed up in time, the median working days to close, and root causes by count."""

    cases: int
    judged: int
    in_time: int
    closed: int
    median_days_to_close: float | None
    causes: list[tuple[str, int]] = field(default_factory=list)

    @property
    def share_in_time(self) -> Decimal | None:
        return Portion(self.in_time, self.judged).share


def loop_figures(cases: list[Case], now: datetime, time_zone: str | None) -> LoopFigures:
    """The figures of these cases at `now`. A case still new and not yet due is not judged either way; time to
    close counts working days (Monday to Friday, whole 24-hour days, in the organisation's time zone)."""
    judged = in_time = 0
    durations = []
    causes: Counter = Counter()
    for case in cases:
        due, followed = aware(case.due_at), aware(case.followed_up_at)
        if followed is not None or due < now:
            judged += 1
            in_time += followed is not None and followed <= due
        if case.closed_at is not None:
            durations.append(clock.working_days_between(aware(case.opened_at), aware(case.closed_at), time_zone))
        if case.root_cause:
            causes[case.root_cause] += 1
    ranked = sorted(causes.items(), key=lambda item: (-item[1], item[0]))
    return LoopFigures(len(cases), judged, in_time, len(durations), median(durations) if durations else None, ranked)


@dataclass(frozen=True)
class GroupFigures:
    """The figures of the cases of one team or one touchpoint: `key` is its id (None: no team, no touchpoint)."""

    key: int | None
    name: str
    figures: LoopFigures


@dataclass(frozen=True)
class ClosedLoop:
    since: datetime
    overall: LoopFigures
    by_team: list[GroupFigures]
    by_touchpoint: list[GroupFigures]


def recent_cases(organisation: Organisation, now: datetime, days: int = PERIOD_DAYS) -> list[Case]:
    return list(db.session.scalars(Case.scoped_to(organisation).where(Case.opened_at >= now - timedelta(days=days))
                                   .options(selectinload(Case.team), selectinload(Case.touchpoint))))


def closed_loop(organisation: Organisation, now: datetime, no_team: str, no_touchpoint: str,
                days: int = PERIOD_DAYS) -> ClosedLoop:
    """The organisation's figures over the cases opened in the last `days` days: overall, per team (no team:
    the CX lead's) and per touchpoint, each group largest first."""
    cases = recent_cases(organisation, now, days)
    zone = organisation.time_zone

    def grouped(key, name) -> list[GroupFigures]:
        groups: dict = {}
        for case in cases:
            groups.setdefault(key(case), []).append(case)
        found = [GroupFigures(group, name(members[0]), loop_figures(members, now, zone))
                 for group, members in groups.items()]
        return sorted(found, key=lambda group: (-group.figures.cases, group.name.casefold()))

    return ClosedLoop(
        now - timedelta(days=days), loop_figures(cases, now, zone),
        grouped(lambda c: c.team_id, lambda c: c.team.name if c.team else no_team),
        grouped(lambda c: c.touchpoint_id, lambda c: c.touchpoint.name if c.touchpoint else no_touchpoint))
