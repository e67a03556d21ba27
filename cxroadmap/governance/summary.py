"""The portfolio summary: the figures of every initiative that the overview and the dashboard show, worked out
once for each change of the organisation's data and each day, and then reused by every page and chart."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from cxroadmap.benefits import calc
from cxroadmap.benefits.services import portfolio_figures, realised_by_year
from cxroadmap.governance.services import open_actions
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import initiative_counts
from cxroadmap.initiatives.states import HEALTHS
from cxroadmap.initiatives.tracking import Integrity, commitment_integrity, latest_updates, organisation_milestones
from cxroadmap.kept import Kept
from cxroadmap.organisations.data_version import kept_for_version
from cxroadmap.organisations.models import Organisation

SHOWN = 10  # rows a list of the summary keeps; the rest are counted, and the page links to all of them
KEPT = 32  # summaries a process keeps (organisations × days × settings), the least recently used dropped first


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
    integrity: Integrity


def needs_attention(initiatives: list[Initiative], on: date) -> list[Initiative]:
    """Open initiatives that are red, amber or overdue: red first, then amber, then by due date."""
    flagged = [i for i in initiatives if i.is_open and (i.health in ("red", "amber") or i.is_overdue(on))]
    rank = {"red": 0, "amber": 1, "green": 2}
    return sorted(flagged, key=lambda i: (rank[i.health], i.due_date or date.max, i.ref))


def _listed(initiative: Initiative, on: date) -> Listed:
    return Listed(initiative.ref, initiative.title, initiative.health, initiative.due_date,
                  initiative.owner.name if initiative.owner else None, initiative.is_overdue(on))


_KEPT = Kept(KEPT)


def portfolio_summary(organisation: Organisation, on: date, horizon_years: int,
                      stale_days: int) -> PortfolioSummary:
    """The summary as the organisation's data stands, on `on`: worked out again only when the organisation's
    data version (in the database, so every process sees it) or the date or the settings differ."""
    return kept_for_version(_KEPT, organisation, (on, horizon_years, stale_days),
                            lambda: work_out_summary(organisation, on, horizon_years, stale_days))


def work_out_summary(organisation: Organisation, on: date, horizon_years: int, stale_days: int) -> PortfolioSummary:
    """The summary from the data itself, in a fixed number of queries whatever the number of initiatives."""
    figures = portfolio_figures(organisation, horizon_years, on)
    initiatives = [row[0] for row in figures.all_rows]  # not archived, in reference order
    open_ones = [i for i in initiatives if i.is_open]
    flagged = needs_attention(open_ones, on)
    last = latest_updates(organisation)
    stale_before = on - timedelta(days=stale_days)
    milestones = organisation_milestones(organisation)
    first_year = min([on.year - 1] + [i.start_date.year for i in open_ones if i.start_date])
    years = list(range(max(first_year, on.year - 3), on.year + horizon_years))
    estimated = calc.benefit_by_calendar_year(figures.streams, years[0], years[-1])  # covers by_year's too
    realised = realised_by_year(organisation)
    return PortfolioSummary(
        on=on, horizon_years=horizon_years, stale_days=stale_days,
        counts=initiative_counts(organisation),
        totals=figures.totals, by_kind=figures.by_kind,
        by_year={year: estimated[year] for year in range(on.year, on.year + horizon_years)},
        money=tuple((year, estimated.get(year, Decimal("0.00")), realised.get(year, Decimal("0.00")))
                    for year in years),
        attention=bounded(flagged, lambda i: _listed(i, on)),
        attention_refs=tuple(i.ref for i in flagged),
        red_amber=bounded(sorted((i for i in open_ones if i.health in ("red", "amber")),
                                 key=lambda i: (i.health != "red", i.due_date or date.max, i.ref)),
                          lambda i: _listed(i, on)),
        stale=bounded([i for i in open_ones if last.get(i.id) is None or last[i.id] < stale_before],
                      lambda i: (_listed(i, on), last.get(i.id))),
        overdue_milestones=bounded([m for m in milestones if m.is_overdue(on) and m.initiative.is_open],
                                   lambda m: MilestoneDue(m.initiative.ref, m.title, m.due_on)),
        overdue_actions=bounded([a for a in open_actions(organisation) if a.is_overdue(on)],
                                lambda a: ActionDue(a.title, a.owner.name if a.owner else None, a.due_on,
                                                    a.initiative.ref if a.initiative else None)),
        integrity=commitment_integrity(milestones, on),
    )
