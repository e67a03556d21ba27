"""The portfolio summary: the figures of every initiative that the overview and the dashboard show, worked out
once for each change of the organisation's data and each day, and then reused by every page and chart.

Worked out again after a write, it is worked out only for what the write touched: each initiative's share of the
summary (`Share`: its case, its streams' amounts per year, whether it needs attention, its overdue milestones) is
kept in the process, and the organisation's change log (organisations.data_version) names the initiatives written
since; only theirs are read and worked out again, and the summary is added up from the shares. A write to what
every share reads (the organisation's discount rate, an owner's name) or a bulk write works everything out again.
"""

from bisect import bisect_left, insort
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from sqlalchemy import func, select

from cxroadmap.benefits import calc
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.models import BenefitActual, BenefitEstimate
from cxroadmap.benefits.services import initiative_case, streams_of
from cxroadmap.caches import Cache
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.governance.services import open_actions
from cxroadmap.initiatives.models import Initiative, Milestone, StatusUpdate
from cxroadmap.initiatives.states import HEALTHS, OPEN_STATUSES, STATUSES
from cxroadmap.money import ZERO, to_cents
from cxroadmap.organisations.data_version import (
    EVERYTHING,
    cached_for_version,
    changed_here,
    changes_since,
    last_change,
)
from cxroadmap.organisations.models import Organisation
from cxroadmap.portions import Portion
from cxroadmap.readiness.questions import QUESTIONS

SHOWN = 10  # rows a list of the summary keeps; the rest are counted, and the page links to all of them
SUMMARIES_CACHED = 32  # per process (organisations × days × settings), the least recently used dropped first


@dataclass(frozen=True)
class Listed:
    """An initiative as a list on a page names it."""

    ref: str
    title: str
    health: str
    due_date: date | None
    owner: str | None  # the owner's name
    overdue: bool

    @property
    def health_label(self) -> str:
        return HEALTHS.label(self.health)


@dataclass(frozen=True)
class MilestoneDue:
    ref: str  # of its initiative
    title: str
    due_on: date


@dataclass(frozen=True)
class ActionDue:
    title: str
    owner: str | None  # the owner's name
    due_on: date
    ref: str | None  # of the initiative it is about


@dataclass(frozen=True)
class Bounded:
    """The first rows of a list, and how many it has in all: a page shows the rows and says how many more."""

    shown: tuple
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.shown)

    def __iter__(self):
        return iter(self.shown)

    def __bool__(self) -> bool:
        return self.total > 0


def bounded(items: list, row=lambda item: item, limit: int = SHOWN) -> Bounded:
    """The first `limit` items as rows, and how many there are."""
    return Bounded(tuple(row(item) for item in items[:limit]), len(items))


@dataclass(frozen=True)
class PortfolioSummary:
    """Shared between requests and processes' threads: read it, never change it."""

    on: date
    horizon_years: int
    stale_days: int
    counts: dict[str, dict[str, int]]  # non-archived initiatives by question and status; open ones by health
    totals: calc.BusinessCase  # of the live initiatives (neither archived nor cancelled)
    by_kind: dict[str, Decimal]  # risk-adjusted annual amount per kind of benefit
    by_year: dict[int, Decimal]  # risk-adjusted benefit per calendar year, this year and the horizon's next
    money: tuple[tuple[int, Decimal, Decimal], ...]  # (year, estimated risk-adjusted, realised)
    attention: Bounded  # of Listed: open and red, amber or overdue; red first, then amber, then by due date
    attention_refs: tuple[str, ...]  # all of them, in that order
    red_amber: Bounded  # of Listed: open and red or amber; red first, then by due date
    stale: Bounded  # of (Listed, date of the latest update or None): open, and no update for stale_days
    overdue_milestones: Bounded  # of MilestoneDue, of open initiatives
    overdue_actions: Bounded  # of ActionDue
    integrity: Portion  # milestones kept of those due


def needs_attention(initiatives: list[Initiative], on: date) -> list[Initiative]:
    """Open initiatives that are red, amber or overdue: red first, then amber, then by due date."""
    flagged = [i for i in initiatives if i.is_open and (i.health in ("red", "amber") or i.is_overdue(on))]
    rank = {"red": 0, "amber": 1, "green": 2}
    return sorted(flagged, key=lambda i: (rank[i.health], i.due_date or date.max, i.ref))


_SUMMARIES = Cache(SUMMARIES_CACHED)
_SHARES = Cache(4)  # (organisation id, day, settings) -> Shares: every initiative's share, and the change they follow
# Tables whose rows every share reads (or a write of no one initiative): a change to them works everything out again.
# A change to any other table that names no initiative touches no share (the actions are read afresh every time).
READ_BY_EVERY_SHARE = {EVERYTHING, Organisation.__tablename__, CoalitionMember.__tablename__}
READ_BY_A_SHARE = {Initiative.__tablename__, BenefitEstimate.__tablename__, BenefitActual.__tablename__,
                   StatusUpdate.__tablename__, Milestone.__tablename__, "milestone_slip"}


def portfolio_summary(organisation: Organisation, on: date, horizon_years: int,
                      stale_days: int) -> PortfolioSummary:
    """The summary as the organisation's data stands, on `on`: worked out again only when the organisation's
    data version (in the database, so every process sees it) or the date or the settings differ."""
    return cached_for_version(_SUMMARIES, organisation, (on, horizon_years, stale_days),
                            lambda: work_out_summary(organisation, on, horizon_years, stale_days))


def work_out_summary(organisation: Organisation, on: date, horizon_years: int, stale_days: int) -> PortfolioSummary:
    """The summary from the data itself (from the shares, worked out again for what changed), in a fixed number of
    queries whatever the number of initiatives."""
    shares = current_shares(organisation, on, horizon_years, stale_days)
    return add_up(organisation, on, horizon_years, stale_days, shares)


# -- each initiative's share --------------------------------------------------------------------------------

@dataclass(frozen=True)
class Share:
    """One initiative that is not archived, as the summary reads it: worked out from its own rows alone."""

    order: tuple  # (length of the reference, reference): the reference order
    question: str
    status: str
    health: str
    listed: Listed
    attention: tuple | None  # its place among those that need attention (red, amber, then due date), or None
    red_amber: tuple | None  # its place among the red and amber ones, or None
    stale_since: tuple[date | None] | None  # (date of its latest update or None) when open and stale, else None
    start_year: int | None  # when open and dated: the money chart begins at the first
    case: calc.BusinessCase
    by_kind: tuple[Decimal, ...]  # risk-adjusted annual amount of each kind, as BENEFIT_KINDS lists them (live only)
    by_year: tuple[Decimal, ...]  # its streams' risk-adjusted benefit in each of `share_years`, unrounded
    realised: tuple[tuple[int, Decimal], ...]  # realised per calendar year
    overdue_milestones: tuple[tuple[date, int, MilestoneDue], ...]  # (due on, id, row), when open
    milestones_due: int  # whose original date has come
    milestones_kept: int  # of those, delivered by it


@dataclass(frozen=True)
class Shares:
    """Every share, added up (`Tally`), and the last change of the log they follow (`last_change`)."""

    follows: tuple[int, str | None]
    by_initiative: dict[int, Share]
    tally: "Tally"


def shares_of(follows: tuple, by_initiative: dict[int, Share], years: int) -> Shares:
    """Shares added up from nothing."""
    tally = Tally(years)
    for initiative_id, share in by_initiative.items():
        tally.count(initiative_id, share, 1)
    return Shares(follows, by_initiative, tally)


def changed_shares(kept: Shares, follows: tuple, fresh: dict[int, Share], touched: set[int]) -> Shares:
    """The kept shares with those of the touched initiatives taken away and their fresh ones (if still there and
    not archived) added: a new Shares, the kept one unchanged (another thread may be reading it)."""
    by_initiative, tally = dict(kept.by_initiative), kept.tally.copy()
    for initiative_id in touched:
        old = by_initiative.pop(initiative_id, None)
        if old is not None:
            tally.count(initiative_id, old, -1)
    for initiative_id, share in fresh.items():
        by_initiative[initiative_id] = share
        tally.count(initiative_id, share, 1)
    return Shares(follows, by_initiative, tally)


def current_shares(organisation: Organisation, on: date, horizon_years: int, stale_days: int) -> Shares:
    """Every initiative's share as the data stands: those kept in this process, with the ones the changes logged
    since they were worked out worked out again (all of them the first time, or after a change every share reads).
    A transaction holding uncommitted writes of its own, which no log names yet, works out all of them."""
    years = len(share_years(on, horizon_years))
    if changed_here(organisation.id):
        return shares_of((0, None), read_shares(organisation, on, horizon_years, stale_days), years)
    key = (organisation.id, on, horizon_years, stale_days)
    kept = _SHARES.find(key)
    if kept is None:
        follows, touched = last_change(organisation.id), None
    else:
        changes, continuous = changes_since(organisation.id, kept.follows)
        follows = changes[-1][:2] if changes else (kept.follows if continuous else (0, None))
        touched = touched_initiatives(changes) if continuous else None
    if touched is None:
        shares = shares_of(follows, read_shares(organisation, on, horizon_years, stale_days), years)
    elif touched:
        shares = changed_shares(kept, follows, read_shares(organisation, on, horizon_years, stale_days, touched),
                                touched)
    else:
        shares = Shares(follows, kept.by_initiative, kept.tally)
    _SHARES.put(key, shares)
    return shares


def touched_initiatives(changes: list) -> set[int] | None:
    """The initiatives the logged changes touched; None when everything is to be worked out again."""
    touched = set()
    for _id, _stamp, table, unit in changes:
        if table == Initiative.__tablename__ and unit is not None:
            touched.add(unit)
        elif table in READ_BY_EVERY_SHARE or table in READ_BY_A_SHARE:
            return None
    return touched


def read_shares(organisation: Organisation, on: date, horizon_years: int, stale_days: int,
                only: set[int] | None = None) -> dict[int, Share]:
    """The shares of the organisation's initiatives that are not archived (or of those of `only` among them), read
    as the columns they need, in five queries."""
    scope = [Initiative.organisation_id == organisation.id, Initiative.archived.is_(False)]
    if only is not None:
        scope.append(Initiative.id.in_(sorted(only)))
    rows = db.session.execute(
        select(Initiative.id, Initiative.ref, Initiative.title, Initiative.readiness_question, Initiative.status,
               Initiative.health, Initiative.start_date, Initiative.due_date, Initiative.one_off_cost,
               Initiative.annual_running_cost, CoalitionMember.name.label("owner"))
        .outerjoin(CoalitionMember, CoalitionMember.id == Initiative.owner_id).where(*scope)).all()
    estimates, updated, milestones, realised = _grouped_rows(scope)
    years = share_years(on, horizon_years)
    stale_before = on - timedelta(days=stale_days)
    return {row.id: _share(organisation, row, on, horizon_years, years, stale_before, estimates[row.id],
                           updated.get(row.id), milestones[row.id], realised[row.id]) for row in rows}


def _grouped_rows(scope: list) -> tuple:
    """Each initiative's estimates (in the order made), the date of its latest update, its milestones (by due
    date) and its realised amounts, one query each."""
    estimates, milestones, realised = defaultdict(list), defaultdict(list), defaultdict(list)
    for row in db.session.execute(
            select(BenefitEstimate.initiative_id, BenefitEstimate.kind, BenefitEstimate.annual_amount,
                   BenefitEstimate.confidence, BenefitEstimate.starts_on, BenefitEstimate.ramp_months)
            .join(Initiative, Initiative.id == BenefitEstimate.initiative_id).where(*scope)
            .order_by(BenefitEstimate.id)):
        estimates[row.initiative_id].append(row)
    updated = dict(db.session.execute(
        select(StatusUpdate.initiative_id, func.max(StatusUpdate.posted_on))
        .join(Initiative, Initiative.id == StatusUpdate.initiative_id).where(*scope)
        .group_by(StatusUpdate.initiative_id)).all())
    for row in db.session.execute(
            select(Milestone.initiative_id, Milestone.id, Milestone.title, Milestone.due_on,
                   Milestone.original_due_on, Milestone.done_on)
            .join(Initiative, Initiative.id == Milestone.initiative_id).where(*scope)
            .order_by(Milestone.due_on, Milestone.id)):
        milestones[row.initiative_id].append(row)
    for initiative_id, month, amount in db.session.execute(
            select(BenefitEstimate.initiative_id, BenefitActual.month, BenefitActual.amount)
            .join(BenefitEstimate, BenefitEstimate.id == BenefitActual.benefit_id)
            .join(Initiative, Initiative.id == BenefitEstimate.initiative_id).where(*scope)):
        realised[initiative_id].append((month.year, amount))
    return estimates, updated, milestones, realised


_RANK = {"red": 0, "amber": 1, "green": 2}
# A share's benefit in a year is kept to this many places (far below a cent), so that adding shares up and taking
# one away again is exact, and the total is the same whichever shares were added in which order.
YEAR_PLACES = Decimal("1e-10")
_NO_KINDS = tuple(ZERO for _ in BENEFIT_KINDS.keys)


def share_years(on: date, horizon_years: int) -> range:
    """The calendar years a share adds up its streams for: the money chart's earliest (three years back) to the
    horizon's last."""
    return range(on.year - 3, on.year + horizon_years)


def _kinds(estimates: list) -> tuple[Decimal, ...]:
    amounts = dict.fromkeys(BENEFIT_KINDS.keys, ZERO)
    for estimate in estimates:
        amounts[estimate.kind] += calc.risk_adjusted(estimate.annual_amount, estimate.confidence)
    return tuple(amounts.values())


def _share(organisation: Organisation, row, on: date, horizon_years: int, years: range, stale_before: date,
           estimates: list, last_update: date | None, milestones: list, realised: list) -> Share:
    is_open, live = row.status in OPEN_STATUSES, row.status != "cancelled"
    overdue = is_open and row.due_date is not None and row.due_date < on
    red_or_amber = is_open and row.health in ("red", "amber")
    due = row.due_date or date.max
    streams = streams_of(estimates, row.start_date or on) if live else []
    return Share(
        order=(len(row.ref), row.ref), question=row.readiness_question, status=row.status, health=row.health,
        listed=Listed(row.ref, row.title, row.health, row.due_date, row.owner, overdue),
        attention=(_RANK[row.health], due, row.ref) if red_or_amber or overdue else None,
        red_amber=(row.health != "red", due, row.ref) if red_or_amber else None,
        stale_since=(last_update,) if is_open and (last_update is None or last_update < stale_before) else None,
        start_year=row.start_date.year if is_open and row.start_date else None,
        case=initiative_case(organisation, row, estimates, horizon_years, on),
        by_kind=_kinds(estimates) if live else _NO_KINDS,
        by_year=tuple(sum((calc.stream_in_year(s, year) for s in streams if s.starts_on.year <= year), ZERO)
                      .quantize(YEAR_PLACES) for year in years),
        realised=tuple(realised),
        overdue_milestones=tuple((m.due_on, m.id, MilestoneDue(row.ref, m.title, m.due_on)) for m in milestones
                                 if is_open and m.done_on is None and m.due_on < on),
        milestones_due=sum(1 for m in milestones if m.original_due_on <= on),
        milestones_kept=sum(1 for m in milestones if m.original_due_on <= on and m.done_on is not None
                            and m.done_on <= m.original_due_on),
    )


# -- the summary, added up from the shares ---------------------------------------------------------------

class Tally:
    """The shares added up: counts, sums and the sorted lists the summary shows the first rows of. A share is
    counted in (sign 1) or out (sign -1), so that a change costs what it touched, not ten thousand shares."""

    def __init__(self, years: int):
        self.counts = {"question": Counter(), "status": Counter(), "health": Counter()}
        self.money = [ZERO] * len(_MONEY)
        self.by_kind = [ZERO] * len(BENEFIT_KINDS.keys)
        self.by_year = [ZERO] * years
        self.realised: dict[int, Decimal] = {}
        self.milestones = [0, 0]  # due by their original date, kept it
        self.start_years: Counter = Counter()
        self.lists: dict[str, list] = {"attention": [], "red_amber": [], "stale": [], "overdue": []}

    def copy(self) -> "Tally":
        made = Tally(0)
        made.counts = {name: Counter(counted) for name, counted in self.counts.items()}
        made.money, made.by_kind, made.by_year = list(self.money), list(self.by_kind), list(self.by_year)
        made.realised, made.milestones = dict(self.realised), list(self.milestones)
        made.start_years = Counter(self.start_years)
        made.lists = {name: list(entries) for name, entries in self.lists.items()}
        return made

    def count(self, initiative_id: int, share: Share, sign: int) -> None:
        self.counts["question"][share.question] += sign
        self.counts["status"][share.status] += sign
        if share.status in OPEN_STATUSES:
            self.counts["health"][share.health] += sign
        if share.start_year is not None:
            self.start_years[share.start_year] += sign
        self.milestones[0] += sign * share.milestones_due
        self.milestones[1] += sign * share.milestones_kept
        for year, amount in share.realised:
            self.realised[year] = self.realised.get(year, Decimal("0.00")) + sign * amount
        if share.status != "cancelled":
            self._count_money(share, sign)
        self._count_listed(initiative_id, share, sign)

    def _count_money(self, share: Share, sign: int) -> None:
        case = share.case
        for k, amount in enumerate((case.annual_expected, case.annual_risk_adjusted, case.one_off_cost,
                                    case.annual_running_cost, case.npv, sum(case.benefit_by_year, ZERO))):
            self.money[k] += sign * amount
        for k, amount in enumerate(share.by_kind):
            self.by_kind[k] += sign * amount
        for k, amount in enumerate(share.by_year):
            self.by_year[k] += sign * amount

    def _count_listed(self, initiative_id: int, share: Share, sign: int) -> None:
        entries = [("attention", share.attention), ("red_amber", share.red_amber),
                   ("stale", share.order if share.stale_since is not None else None)]
        for name, place in entries:
            if place is not None:
                _sorted_in_or_out(self.lists[name], (place, initiative_id), sign)
        for due_on, milestone_id, row in share.overdue_milestones:
            _sorted_in_or_out(self.lists["overdue"], (due_on, milestone_id, row), sign)


_MONEY = ("annual_expected", "annual_risk_adjusted", "one_off_cost", "annual_running_cost", "npv", "benefit")


def _sorted_in_or_out(entries: list, entry: tuple, sign: int) -> None:
    """Put the entry in its place in the sorted list (sign 1), or take it out (-1)."""
    if sign > 0:
        insort(entries, entry)
    else:
        del entries[bisect_left(entries, entry)]


def add_up(organisation: Organisation, on: date, horizon_years: int, stale_days: int,
           shares: Shares) -> PortfolioSummary:
    """The summary of these shares, from their tally (and of the organisation's open actions, read afresh)."""
    tally, by_initiative = shares.tally, shares.by_initiative
    first_year = min([on.year - 1] + [year for year, number in tally.start_years.items() if number > 0])
    years = list(range(max(first_year, on.year - 3), on.year + horizon_years))
    estimated = {year: to_cents(amount) for year, amount in zip(share_years(on, horizon_years), tally.by_year,
                                                                  strict=True)}
    lists = tally.lists

    def listed(name: str) -> Bounded:
        return bounded(lists[name], lambda entry: by_initiative[entry[1]].listed)

    return PortfolioSummary(
        on=on, horizon_years=horizon_years, stale_days=stale_days,
        counts=_counts(tally),
        totals=_totals(tally, horizon_years),
        by_kind=dict(zip(BENEFIT_KINDS.keys, tally.by_kind, strict=True)),
        by_year={year: estimated[year] for year in range(on.year, on.year + horizon_years)},
        money=tuple((year, estimated[year], tally.realised.get(year, Decimal("0.00"))) for year in years),
        attention=listed("attention"),
        attention_refs=tuple(place[2] for place, _id in lists["attention"]),
        red_amber=listed("red_amber"),
        stale=bounded(lists["stale"], lambda entry: (by_initiative[entry[1]].listed,
                                                     by_initiative[entry[1]].stale_since[0])),
        overdue_milestones=bounded(lists["overdue"], itemgetter(2)),
        overdue_actions=bounded([a for a in open_actions(organisation) if a.is_overdue(on)],
                                lambda a: ActionDue(a.title, a.owner.name if a.owner else None, a.due_on,
                                                    a.initiative.ref if a.initiative else None)),
        integrity=Portion(part=tally.milestones[1], whole=tally.milestones[0]),
    )


def _counts(tally: Tally) -> dict[str, dict[str, int]]:
    """Initiatives counted by readiness question and status, and the open ones by health (every key present):
    health is where open work stands, so a done or cancelled initiative has no colour to count."""
    return {name: {key: tally.counts[name][key] for key in choices.keys}
            for name, choices in (("question", QUESTIONS), ("status", STATUSES), ("health", HEALTHS))}


def _totals(tally: Tally, horizon_years: int) -> calc.BusinessCase:
    """What calc.portfolio_case gives for the live initiatives' cases, from their sums."""
    expected, risk_adjusted, one_off, running, npv, benefit = tally.money
    return calc.BusinessCase(annual_expected=expected, annual_risk_adjusted=risk_adjusted, one_off_cost=one_off,
                             annual_running_cost=running, horizon_years=horizon_years, benefit_by_year=(), npv=npv,
                             roi=calc.roi(benefit, one_off + running * horizon_years), payback_months=None)
