"""Initiatives: creating, changing, archiving, finding and listing them."""

import re
from array import array
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import contains_eager, joinedload, load_only

from cxroadmap.audit.services import current_actor
from cxroadmap.caches import Cache
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.database import as_stored
from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.models import Initiative, StatusUpdate
from cxroadmap.initiatives.states import HEALTHS, OPEN_STATUSES, STATUSES
from cxroadmap.organisations.data_version import cached_for_version
from cxroadmap.organisations.models import Organisation, hold
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.stages import STAGES
from cxroadmap.timeutil import today
from cxroadmap.validation import Problems, check_date, check_line, check_text, tidy

REF_PATTERN = re.compile(r"^[A-Z0-9][A-Z0-9._-]{0,31}$")
REF_PREFIX = "INIT-"
REF_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: "²".isdigit() is true, int("²") fails
REF_LENGTH = 32
MAX_MONEY = Decimal("999999999999.99")

FIELDS = ("ref", "title", "description", "readiness_question", "owner", "status", "health", "progress",
          "start_date", "due_date", "target_stage", "one_off_cost", "annual_running_cost")


def check_money(problems: Problems, field: str, amount) -> None:
    amount = as_stored(Initiative.__table__.c.one_off_cost, amount)  # every amount is kept in cents
    problems.require(isinstance(amount, Decimal), field, _("Enter an amount."))
    if isinstance(amount, Decimal):
        problems.require(amount >= 0, field, _("An amount cannot be negative."))
        problems.require(amount <= MAX_MONEY, field, _("That amount is too large."))


def check_initiative(values: dict) -> Problems:
    """The problems with an initiative's values, apart from those that need the database."""
    problems = Problems()
    ref = values["ref"]
    problems.require(ref is None or bool(REF_PATTERN.match(ref)), "ref",
                     _("A reference is up to 32 letters, digits, dots, dashes or underscores, e.g. INIT-12."))
    check_line(problems, "title", values["title"], 200, required=True)
    check_text(problems, "description", values["description"], 20000)
    problems.require(values["readiness_question"] in QUESTIONS, "readiness_question",
                     _("Choose the readiness question this initiative mainly answers."))
    problems.require(values["status"] in STATUSES, "status", STATUSES.describe())
    problems.require(values["health"] in HEALTHS, "health", HEALTHS.describe())
    progress = values["progress"]
    problems.require(isinstance(progress, int) and not isinstance(progress, bool) and 0 <= progress <= 100,
                     "progress", _("Progress is a whole percentage from 0 to 100."))
    check_date(problems, "start_date", values["start_date"])
    check_date(problems, "due_date", values["due_date"])
    if values["start_date"] and values["due_date"]:
        problems.require(values["due_date"] >= values["start_date"], "due_date",
                         _("The due date cannot be before the start date."))
    problems.require(values["target_stage"] is None or values["target_stage"] in STAGES, "target_stage",
                     STAGES.describe())
    check_money(problems, "one_off_cost", values["one_off_cost"])
    check_money(problems, "annual_running_cost", values["annual_running_cost"])
    return problems


def initiative_problems(fields: dict) -> Problems:
    """What would be refused in these fields, checked without the database (for a form to show all at once)."""
    return check_initiative(_initiative_values(fields))


def _initiative_values(fields: dict) -> dict:
    values = dict(fields)
    values["ref"] = tidy(values.get("ref")).upper() or None
    values["title"] = tidy(values["title"])
    values["description"] = tidy(values.get("description"))
    values["target_stage"] = values.get("target_stage") or None
    for money_field in ("one_off_cost", "annual_running_cost"):
        if values.get(money_field) is None:
            values[money_field] = Decimal("0.00")
        values[money_field] = as_stored(getattr(Initiative, money_field), values[money_field])
    return values


def _check_in_organisation(organisation: Organisation, values: dict, besides: Initiative | None) -> Problems:
    problems = check_initiative(values)
    owner = values.get("owner")
    problems.require(owner is None or (isinstance(owner, CoalitionMember)
                                       and owner.organisation_id == organisation.id),
                     "owner", _("The owner must be a member of this organisation's coalition."))
    if values["ref"]:
        query = select(Initiative.id).where(Initiative.organisation_id == organisation.id,
                                            Initiative.ref == values["ref"])
        if besides is not None:
            query = query.where(Initiative.id != besides.id)
        problems.require(db.session.scalar(query) is None, "ref",
                         _("%(ref)s is already the reference of another initiative.", ref=values["ref"]))
    return problems


def next_ref(organisation: Organisation) -> str:
    """The next free INIT-n reference of the organisation (two concurrent creations never get the same one)."""
    hold(organisation)
    refs = db.session.scalars(select(Initiative.ref).where(
        Initiative.organisation_id == organisation.id, Initiative.ref.like(f"{REF_PREFIX}%")))
    numbers = {int(match[0]) for ref in refs if (match := REF_NUMBER.fullmatch(ref[len(REF_PREFIX):]))}
    following = max(numbers, default=0) + 1
    if len(f"{REF_PREFIX}{following}") > REF_LENGTH:
        # A reference typed by hand took the longest number there is room for: the lowest one still free.
        following = min(set(range(1, len(numbers) + 2)) - numbers)
    return f"{REF_PREFIX}{following}"


def create_initiative(organisation: Organisation, *, title: str, readiness_question: str,
                      ref: str | None = None, description: str = "", owner: CoalitionMember | None = None,
                      status: str = "proposed", health: str = "green", progress: int = 0,
                      start_date: date | None = None, due_date: date | None = None,
                      target_stage: str | None = None, one_off_cost: Decimal | None = None,
                      annual_running_cost: Decimal | None = None, archived: bool = False) -> Initiative:
    """A new initiative of the organisation; a reference like INIT-12 is given when none is."""
    values = _initiative_values({
        "ref": ref, "title": title, "description": description, "readiness_question": readiness_question,
        "owner": owner, "status": status, "health": health, "progress": progress,
        "start_date": start_date, "due_date": due_date, "target_stage": target_stage,
        "one_off_cost": one_off_cost, "annual_running_cost": annual_running_cost,
    })
    _check_in_organisation(organisation, values, None).raise_if_any()
    values["ref"] = values["ref"] or next_ref(organisation)
    initiative = Initiative(organisation_id=organisation.id, archived=archived, **values)
    db.session.add(initiative)
    db.session.flush()
    record_status(initiative, _("Created."))
    return initiative


def update_initiative(organisation: Organisation, initiative: Initiative, expected_version: int | None = None,
                      note: str = "", **fields) -> Initiative:
    """Change the given fields of an initiative; all are checked before any is changed.

    A change of status, health or progress is also a status update in the initiative's history, with `note`.
    """
    initiative.check_version(expected_version, f"{initiative.ref}")
    unknown = set(fields) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown initiative fields: {', '.join(sorted(unknown))}")
    current = {name: getattr(initiative, name) for name in FIELDS}
    values = _initiative_values({**current, **fields})
    values["ref"] = values["ref"] or initiative.ref
    _check_in_organisation(organisation, values, initiative).raise_if_any()
    moved = any(values[name] != getattr(initiative, name) for name in TRACKED)
    for name, value in values.items():
        setattr(initiative, name, value)
    db.session.flush()
    if moved or tidy(note):
        record_status(initiative, note)
    return initiative


TRACKED = ("status", "health", "progress")


def record_status(initiative: Initiative, note: str = "", on: date | None = None) -> StatusUpdate:
    """Add where the initiative stands now to its history, said by whoever is acting."""
    check = Problems()
    check_text(check, "note", tidy(note), 5000)
    check.raise_if_any()
    update = StatusUpdate(initiative=initiative, posted_on=on or today(), author=current_actor().label,
                          status=initiative.status, health=initiative.health, progress=initiative.progress,
                          note=tidy(note))
    db.session.add(update)
    db.session.flush()
    return update


def set_archived(initiative: Initiative, archived: bool) -> Initiative:
    """Archive (hide from the portfolio) or restore an initiative; nothing else about it changes."""
    initiative.archived = archived
    db.session.flush()
    return initiative


def initiative_by_ref(organisation: Organisation, ref: str) -> Initiative:
    query = Initiative.scoped_to(organisation).where(Initiative.ref == ref.upper()).options(
        joinedload(Initiative.owner))
    initiative = db.session.scalar(query)
    if initiative is None:
        raise NotInOrganisation(_("No initiative %(ref)s in this organisation.", ref=ref))
    return initiative


def initiatives_by_refs(organisation: Organisation, refs: list[str]) -> dict[str, Initiative]:
    """The organisation's initiatives with these references (any case), by their reference; one query."""
    wanted = {ref.upper() for ref in refs if ref}
    if not wanted:
        return {}
    query = Initiative.scoped_to(organisation).where(Initiative.ref.in_(sorted(wanted)))
    return {initiative.ref: initiative for initiative in db.session.scalars(query)}


SEARCH_LIMIT = 20


def _containing(text: str) -> str:
    """A LIKE pattern for text anywhere, its wildcards taken literally (escape character backslash)."""
    return "%" + text.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def search_initiatives(organisation: Organisation, text: str, limit: int = SEARCH_LIMIT) -> list[Initiative]:
    """Up to limit of the organisation's active initiatives for a picker: those whose reference starts with text
    (in reference order, so INIT-5 before INIT-50), then those whose title holds it (in the order they were
    added). Two short queries whatever the number of initiatives: the references are read in the order of
    their index, and both stop as soon as enough are found."""
    text = tidy(text)[:200]
    active = Initiative.scoped_to(organisation).where(Initiative.archived.is_(False)).options(
        load_only(Initiative.ref, Initiative.title))
    if not text:
        return list(db.session.scalars(active.order_by(Initiative.id).limit(limit)))
    prefix = text.upper()
    found = list(db.session.scalars(active.where(Initiative.ref.startswith(prefix, autoescape=True))
                                    .order_by(Initiative.ref).limit(limit)))
    if len(found) < limit:
        titled = active.where(func.lower(Initiative.title).like(_containing(text), escape="\\"))
        if found:
            titled = titled.where(Initiative.id.not_in([i.id for i in found]))
        found += db.session.scalars(titled.order_by(Initiative.id).limit(limit - len(found)))
    return found


def initiatives_to_review(organisation: Organisation, limit: int = SEARCH_LIMIT) -> list[Initiative]:
    """Up to limit open, active initiatives in red, then in amber, in the order they were added: where a steering
    meeting's agenda starts (one short query for each colour, whatever the number of initiatives)."""
    found: list[Initiative] = []
    for health in ("red", "amber"):
        if len(found) < limit:
            query = (Initiative.scoped_to(organisation)
                     .where(Initiative.archived.is_(False), Initiative.status.in_(OPEN_STATUSES),
                            Initiative.health == health)
                     .order_by(Initiative.id).limit(limit - len(found)))
            found += db.session.scalars(query)
    return found


_COUNTS = Cache(256)  # (organisation id, data stamp) -> initiatives not archived


def active_count(organisation: Organisation) -> int:
    """How many initiatives the organisation has that are not archived: counted once for each version of its
    data (pages ask it to decide whether downloads go to the background)."""
    return cached_for_version(_COUNTS, organisation, (), lambda: db.session.scalar(
        select(func.count()).select_from(Initiative).where(Initiative.organisation_id == organisation.id,
                                                            Initiative.archived.is_(False))))


def large_organisation(organisation: Organisation, setting: str = "BACKGROUND_REPORT_INITIATIVES") -> bool:
    """Whether the organisation has more initiatives (not archived) than the setting says (for reports
    BACKGROUND_REPORT_INITIATIVES, for downloads BACKGROUND_DOWNLOAD_INITIATIVES): what it makes then takes longer
    than a page should wait, and is made in the background."""
    return active_count(organisation) > int(current_app.config[setting])


def all_initiatives(organisation: Organisation, include_archived: bool = True) -> list[Initiative]:
    """Every initiative with its owner, in reference order."""
    query = Initiative.scoped_to(organisation).options(joinedload(Initiative.owner)).order_by(
        func.length(Initiative.ref), Initiative.ref)
    if not include_archived:
        query = query.where(Initiative.archived.is_(False))
    return list(db.session.scalars(query))


# -- the list page -------------------------------------------------------------------------------------

ARCHIVE_VIEWS = {"active": _l("Active"), "archived": _l("Archived"), "all": _l("All")}
# Where open work stands; the overview's and the dashboard's lists link here for the rows they leave out.
STATES = {"open": _l("Open"), "attention": _l("Needs attention"), "red_amber": _l("Red or amber"),
          "stale": _l("No recent update")}


def _in_order(column, choices):
    return case({key: position for position, key in enumerate(choices.keys)}, value=column)


SORTS = {
    "ref": lambda: (func.length(Initiative.ref), Initiative.ref),
    "title": lambda: (func.lower(Initiative.title),),
    "question": lambda: (_in_order(Initiative.readiness_question, QUESTIONS),),
    "status": lambda: (_in_order(Initiative.status, STATUSES),),
    "health": lambda: (_in_order(Initiative.health, HEALTHS),),
    "progress": lambda: (Initiative.progress,),
    "due_date": lambda: (Initiative.due_date.is_(None), Initiative.due_date),
    "owner": lambda: (CoalitionMember.id.is_(None), func.lower(CoalitionMember.name)),
}


@dataclass(frozen=True)
class InitiativeFilter:
    """What the list shows: each field None (or default) means no restriction."""

    question: str | None = None
    status: str | None = None
    health: str | None = None
    owner_id: int | None = None
    archive: str = "active"
    state: str | None = None  # one of STATES; always open initiatives
    stale_days: int = 30  # for state "stale": no status update within this many days
    text: str = ""
    sort: str = "ref"
    descending: bool = False

    def __post_init__(self):
        # Unknown values from a hand-typed URL are dropped rather than failing the page.
        for name, allowed in (("question", QUESTIONS), ("status", STATUSES), ("health", HEALTHS)):
            if getattr(self, name) not in allowed:
                object.__setattr__(self, name, None)
        if self.state not in STATES:
            object.__setattr__(self, "state", None)
        if self.archive not in ARCHIVE_VIEWS:
            object.__setattr__(self, "archive", "active")
        if self.sort not in SORTS:
            object.__setattr__(self, "sort", "ref")
        object.__setattr__(self, "text", tidy(self.text)[:200])


def initiatives_query(organisation: Organisation, wanted: InitiativeFilter):
    """The select behind the list page: filtered, sorted, owners joined once in the same query (the join the owner
    sort uses loads them too, rather than a second join of the same table)."""
    query = (Initiative.scoped_to(organisation)
             .outerjoin(CoalitionMember, Initiative.owner_id == CoalitionMember.id)
             .options(contains_eager(Initiative.owner)))
    for column, value in ((Initiative.readiness_question, wanted.question), (Initiative.status, wanted.status),
                          (Initiative.health, wanted.health), (Initiative.owner_id, wanted.owner_id)):
        if value is not None:
            query = query.where(column == value)
    if wanted.state is not None:
        query = query.where(*_in_state(wanted.state, today(), wanted.stale_days))
    if wanted.archive != "all":
        query = query.where(Initiative.archived.is_(wanted.archive == "archived"))
    if wanted.text:
        pattern = _containing(wanted.text)
        query = query.where(or_(func.lower(Initiative.title).like(pattern, escape="\\"),
                                func.lower(Initiative.ref).like(pattern, escape="\\")))
    order = SORTS[wanted.sort]()
    if wanted.descending:
        order = tuple(column.desc() for column in order)
    return query.order_by(*order, Initiative.id)


def _in_state(state: str, on: date, stale_days: int) -> list:
    """The conditions of a state, as the overview's and dashboard's lists apply them (portfolio summary)."""
    conditions = [Initiative.status.in_(OPEN_STATUSES)]
    red_amber = Initiative.health.in_(("red", "amber"))
    if state == "attention":
        conditions.append(or_(red_amber, Initiative.due_date < on))
    elif state == "red_amber":
        conditions.append(red_amber)
    elif state == "stale":
        # The initiatives updated lately, worked out once for the query (not probed for each initiative, twice
        # over with the page's count): ten thousand initiatives cost what their few recent updates cost.
        recent = select(StatusUpdate.initiative_id).where(StatusUpdate.posted_on >= on - timedelta(days=stale_days))
        conditions.append(Initiative.id.not_in(recent))
    return conditions


# What the list page shows of an initiative: the database sorts these for a page rather than whole rows (the
# description is most of a row), which halves what it sorts for a page of ten thousand by title.
LISTED_COLUMNS = (Initiative.ref, Initiative.title, Initiative.readiness_question, Initiative.status,
                  Initiative.health, Initiative.progress, Initiative.due_date, Initiative.archived,
                  Initiative.owner_id)


# (organisation id, data stamp, filter, day) -> the ids of the filtered list in its order, at 8 bytes an id.
_ORDERS = Cache(64)


class _ListPage(Pagination):
    """A page of the list whose order and count come from the ids kept for the data's version: its rows are read by
    their ids, in that order."""

    def _query_items(self) -> list[Initiative]:
        ids = list(self._query_args["ids"][self._query_offset:self._query_offset + self.per_page])
        if not ids:
            return []
        found = {initiative.id: initiative for initiative in db.session.scalars(
            self._query_args["select"].where(Initiative.id.in_(ids)).order_by(None))}
        return [found[number] for number in ids if number in found]

    def _query_count(self) -> int:
        return len(self._query_args["ids"])


def list_initiatives(organisation: Organisation, wanted: InitiativeFilter, page: int, per_page: int) -> Pagination:
    """One page of the filtered list (a Flask-SQLAlchemy Pagination). The list's order (and so its count) is worked
    out once for each version of the organisation's data, filter and day, as the ids alone: a page then reads its
    rows by their ids, one query, instead of counting and sorting thousands of initiatives for every view."""
    query = initiatives_query(organisation, wanted).options(load_only(*LISTED_COLUMNS))
    ids = cached_for_version(_ORDERS, organisation, (wanted, today()), lambda: array(
        "q", db.session.scalars(query.with_only_columns(Initiative.id))))
    return _ListPage(page=page, per_page=per_page, max_per_page=200, error_out=False, ids=ids, select=query)


def initiative_counts(organisation: Organisation) -> dict[str, dict[str, int]]:
    """Non-archived initiatives counted by readiness question and status, and the open ones by health (every key
    present): health is where open work stands, so a done or cancelled initiative has no colour to count."""
    counts = {"question": dict.fromkeys(QUESTIONS.keys, 0), "status": dict.fromkeys(STATUSES.keys, 0),
              "health": dict.fromkeys(HEALTHS.keys, 0)}
    query = (select(Initiative.readiness_question, Initiative.status, Initiative.health, func.count())
             .where(Initiative.organisation_id == organisation.id, Initiative.archived.is_(False))
             .group_by(Initiative.readiness_question, Initiative.status, Initiative.health))
    for question, status, health, number in db.session.execute(query):
        counts["question"][question] += number
        counts["status"][status] += number
        if status in OPEN_STATUSES:
            counts["health"][health] += number
    return counts


def possible_owners(organisation: Organisation) -> dict[str, CoalitionMember]:
    """Who may own an initiative: the organisation's coalition members, by email (those with one)."""
    return {m.email: m for m in db.session.scalars(CoalitionMember.scoped_to(organisation)) if m.email}


def is_owner(value) -> bool:
    """Whether value is an initiative's owner (a coalition member), as a change's preview shows it by email."""
    return isinstance(value, CoalitionMember)
