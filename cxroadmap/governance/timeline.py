"""The roadmap timeline: initiatives by quarter, a window of quarters and a page of rows at a time."""

import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import joinedload

from cxroadmap.charts.drawings import quarter_label, quarter_of
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.models import Dependency, Initiative, Milestone
from cxroadmap.initiatives.states import HEALTHS, OPEN_STATUSES, STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import QUESTIONS, SHORT_LABELS
from cxroadmap.stages import STAGES

GROUPINGS = {"question": _l("Readiness question"), "stage": _l("Target stage")}
ROWS_PER_PAGE = 25
LONGEST_WINDOW = 24  # quarters: six years on one axis is as much as a page can show legibly
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")


# -- quarters -------------------------------------------------------------------------------------------

def quarter_key(number: int) -> str:
    """The quarter as the page's address writes it: 2027-Q1."""
    return f"{number // 4}-Q{number % 4 + 1}"


def parse_quarter(text: str | None) -> int | None:
    """A quarter written as 2027-Q1 (years 1900–2199); None for anything else."""
    match = _QUARTER.fullmatch(text or "")
    if not match or not 1900 <= int(match[1]) <= 2199:
        return None
    return int(match[1]) * 4 + int(match[2]) - 1


def first_day(quarter: int) -> date:
    return date(quarter // 4, quarter % 4 * 3 + 1, 1)


def last_day(quarter: int) -> date:
    return first_day(quarter + 1) - timedelta(days=1)


# -- what is asked for ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class TimelineFilter:
    """What the page shows: the grouping, filters on the initiatives, the window of quarters (None: from the
    quarter before today to one past the last date shown) and the page of rows."""

    group: str = "question"
    status: str | None = None
    health: str | None = None
    owner_id: int | None = None
    first: int | None = None
    last: int | None = None
    page: int = 1

    def __post_init__(self):
        if self.group not in GROUPINGS:
            object.__setattr__(self, "group", "question")
        if self.status not in STATUSES:
            object.__setattr__(self, "status", None)
        if self.health not in HEALTHS:
            object.__setattr__(self, "health", None)
        if self.first is not None and self.last is not None and self.last < self.first:
            object.__setattr__(self, "first", self.last)
            object.__setattr__(self, "last", self.first)
        if self.first is not None and self.last is not None and self.last - self.first >= LONGEST_WINDOW:
            object.__setattr__(self, "last", self.first + LONGEST_WINDOW - 1)

    def address(self) -> dict[str, str | int]:
        """The choices as the page's address keeps them (what was left at its default is left out)."""
        chosen = {"group": self.group if self.group != "question" else None, "status": self.status,
                  "health": self.health, "owner": self.owner_id,
                  "from": quarter_key(self.first) if self.first is not None else None,
                  "to": quarter_key(self.last) if self.last is not None else None}
        return {key: value for key, value in chosen.items() if value is not None}


@dataclass(frozen=True)
class TimelineRow:
    initiative: Initiative
    milestones: list[Milestone]
    waits_for: list[Initiative]
    conflict: bool


@dataclass(frozen=True)
class TimelinePage:
    """One page of the timeline: its rows in groups (label, rows), the window of quarters it is drawn over, and
    where the page is among all the rows (a Flask-SQLAlchemy Pagination: page, pages, total, first, last)."""

    groups: list[tuple[str, list[TimelineRow]]]
    first: int
    last: int
    rows: Pagination

    @property
    def quarters(self) -> int:
        return self.last - self.first + 1

    @property
    def window(self) -> dict[str, str]:
        """The first and last quarter, as the address writes them (from, to) and as a reader does."""
        return {"from": quarter_key(self.first), "to": quarter_key(self.last),
                "from_label": quarter_label(self.first), "to_label": quarter_label(self.last)}


# -- gathering ------------------------------------------------------------------------------------------

_BEGINS = func.coalesce(Initiative.start_date, Initiative.due_date)
_ENDS = func.coalesce(Initiative.due_date, Initiative.start_date)
_UNDATED = and_(Initiative.start_date.is_(None), Initiative.due_date.is_(None))


def _filtered(organisation: Organisation, wanted: TimelineFilter) -> Select:
    query = Initiative.scoped_to(organisation).where(Initiative.archived.is_(False))
    if wanted.status:
        query = query.where(Initiative.status == wanted.status)
    if wanted.health:
        query = query.where(Initiative.health == wanted.health)
    if wanted.owner_id is not None:
        query = query.where(Initiative.owner_id == wanted.owner_id)
    return query


def _widest(wanted: TimelineFilter, on: date, horizon_years: int) -> tuple[int, int]:
    """The quarters asked for; where the end is not asked, as far as the horizon (the axis is trimmed to the
    rows shown afterwards)."""
    first = wanted.first if wanted.first is not None else quarter_of(on) - 1
    if wanted.last is not None:
        return first, max(wanted.last, first)
    return first, first + min(max(4 * horizon_years, 4), LONGEST_WINDOW - 1)


def _trimmed(first: int, last: int, rows: list["TimelineRow"]) -> int:
    """The last quarter of an axis left to itself: one past the last date the rows have (a start, a due date
    or a milestone), four quarters at least, `last` at most."""
    dates = [day for row in rows for day in (row.initiative.start_date, row.initiative.due_date,
                                            *(m.due_on for m in row.milestones)) if day]
    return min(max([quarter_of(day) + 1 for day in dates] + [first + 3]), last)


class _PageOfRows(Pagination):
    """A page of the timeline's initiatives (query= the ordered select): counted first, so that a page past
    the last is the last; the ids sorted alone, narrow rows, and only that page's initiatives then loaded."""

    def _query_count(self) -> int:
        if not hasattr(self, "_total"):
            query = self._query_args["query"]
            self._total = db.session.scalar(query.with_only_columns(func.count(Initiative.id)).order_by(None))
        return self._total

    def _query_items(self) -> list[Initiative]:
        self.page = min(self.page, max(-(-self._query_count() // self.per_page), 1))
        ids = list(db.session.scalars(self._query_args["query"].with_only_columns(Initiative.id)
                                      .limit(self.per_page).offset((self.page - 1) * self.per_page)))
        if not ids:
            return []
        found = {i.id: i for i in db.session.scalars(
            select(Initiative).where(Initiative.id.in_(ids)).options(joinedload(Initiative.owner)))}
        return [found[i] for i in ids]


def _grouping(wanted: TimelineFilter):
    """(column, [(key, label)]) of the chosen grouping, in the order groups are shown."""
    if wanted.group == "stage":
        return Initiative.target_stage, [(key, _("Towards %(stage)s", stage=STAGES.label(key)))
                                         for key in STAGES.keys] + [(None, _("No target stage"))]
    return Initiative.readiness_question, [(key, SHORT_LABELS[key]) for key in QUESTIONS.keys]


def timeline(organisation: Organisation, wanted: TimelineFilter, on: date, horizon_years: int) -> TimelinePage:
    """A page of the initiatives that pass the filter and touch the window (an open one past its due date
    touches every window up to today), with their milestones and what they wait for; those without any date
    last, under "No dates". Grouped, then by start. A window not asked for runs from the quarter before today
    to one past the last date on the page. A fixed number of queries, whatever the number of initiatives."""
    first, last = _widest(wanted, on, horizon_years)
    column, keys = _grouping(wanted)
    position = case({key: n for n, (key, _label) in enumerate(keys) if key is not None}, value=column,
                    else_=len(keys))
    query = (_filtered(organisation, wanted).where(_touching(first_day(first), last_day(last), on))
             .order_by(case((_UNDATED, 1), else_=0), position, _BEGINS, func.length(Initiative.ref), Initiative.ref))
    rows = _PageOfRows(page=wanted.page, per_page=ROWS_PER_PAGE, max_per_page=None, error_out=False, query=query)
    shown = _rows_of(list(rows.items))
    if wanted.last is None:
        last = _trimmed(first, last, shown)
    return TimelinePage(groups=_grouped(shown, column.key, dict(keys)), first=first, last=last, rows=rows)


def _touching(window_start: date, window_end: date, on: date):
    """Initiatives without dates, and those whose span meets the window (an open one past its due date meets
    every window up to today)."""
    touches = or_(window_start <= _ENDS, Initiative.status.in_(OPEN_STATUSES)) if on >= window_start \
        else window_start <= _ENDS
    return or_(_UNDATED, and_(window_end >= _BEGINS, touches))


def _grouped(shown: list[TimelineRow], key: str, titles: dict) -> list[tuple[str, list[TimelineRow]]]:
    """The rows under their group's title, in the order they come; those without any date under "No dates"."""
    groups: list[tuple[str, list[TimelineRow]]] = []
    for row in shown:
        initiative = row.initiative
        title = (_("No dates") if initiative.start_date is None and initiative.due_date is None
                 else titles.get(getattr(initiative, key), _("No target stage")))
        if groups and groups[-1][0] == title:
            groups[-1][1].append(row)
        else:
            groups.append((title, [row]))
    return groups


def _rows_of(initiatives: list[Initiative]) -> list[TimelineRow]:
    """Each initiative with its milestones and what it waits for (two queries)."""
    if not initiatives:
        return []
    ids = [i.id for i in initiatives]
    milestones: dict[int, list[Milestone]] = {i: [] for i in ids}
    # Without their slips: the timeline shows where milestones are, not how they moved.
    for milestone in db.session.scalars(select(Milestone).where(Milestone.initiative_id.in_(ids))
                                        .order_by(Milestone.due_on, Milestone.id)):
        milestones[milestone.initiative_id].append(milestone)
    waits: dict[int, list[Dependency]] = {}
    for dependency in db.session.scalars(
            select(Dependency).where(Dependency.initiative_id.in_(ids))
            .options(joinedload(Dependency.initiative), joinedload(Dependency.depends_on)).order_by(Dependency.id)):
        waits.setdefault(dependency.initiative_id, []).append(dependency)
    return [TimelineRow(i, milestones[i.id], [d.depends_on for d in waits.get(i.id, [])],
                        any(d.in_conflict for d in waits.get(i.id, []))) for i in initiatives]


def chart_rows(groups: list[tuple[str, list[TimelineRow]]]) -> list[dict]:
    """The rows as the timeline chart takes them: a group's label, then its initiatives."""
    rows: list[dict] = []
    for title, members in groups:
        rows.append({"kind": "group", "label": title})
        rows += [{"label": f"{r.initiative.ref} {r.initiative.title}", "start": r.initiative.start_date,
                  "due": r.initiative.due_date, "health": r.initiative.health, "status": r.initiative.status,
                  "milestones": [m.due_on for m in r.milestones], "conflict": r.conflict} for r in members]
    return rows


def window_choices(on: date, horizon_years: int, shown: TimelinePage) -> list[tuple[str, str]]:
    """The quarters a window can start or end at, (address, label): two years back to a year past the horizon,
    and the window shown, wherever it is."""
    now = quarter_of(on)
    low, high = min(now - now % 4 - 8, shown.first), max(now - now % 4 + 4 * (horizon_years + 2) - 1, shown.last)
    return [(quarter_key(q), quarter_label(q)) for q in range(low, high + 1)]


@dataclass(frozen=True)
class Marks:
    """What the timeline marks on an initiative's bar: its milestones' dates, and whether it starts before
    something it waits for is due."""

    milestones: list[date]
    conflict: bool


def organisation_marks(organisation: Organisation) -> dict[int, Marks]:
    """The marks of every initiative of the organisation that has any, by initiative id (two queries)."""
    milestones: dict[int, list[date]] = {}
    for initiative_id, due_on in db.session.execute(
            select(Milestone.initiative_id, Milestone.due_on).join(Initiative, Milestone.initiative_id == Initiative.id)
            .where(Initiative.organisation_id == organisation.id).order_by(Milestone.due_on, Milestone.id)):
        milestones.setdefault(initiative_id, []).append(due_on)
    both_ends = (joinedload(Dependency.initiative), joinedload(Dependency.depends_on))
    conflicts = {d.initiative_id for d in db.session.scalars(Dependency.scoped_to(organisation).options(*both_ends))
                 if d.in_conflict}
    return {i: Marks(milestones.get(i, []), i in conflicts) for i in set(milestones) | conflicts}
