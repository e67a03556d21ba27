"""Importing initiatives and their benefit estimates from a spreadsheet (the workbook's sheets of them, or one
like them): checked whole first, then one write. The benefits' `SheetImport` (benefits/exchange.py)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from flask_babel import force_locale
from sqlalchemy import select

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.benefits.services import add_benefit, check_benefit, update_benefit
from cxroadmap.benefits.sheets import BENEFIT_COLUMNS, CASE_COLUMNS, INITIATIVE_COLUMNS
from cxroadmap.decimals import decimal_text
from cxroadmap.emails import normal_email
from cxroadmap.errors import DomainError
from cxroadmap.exchangekit import cells
from cxroadmap.extensions import db
from cxroadmap.i18n import LANGUAGES, _, format_day
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import (
    REF_PATTERN,
    check_initiative,
    create_initiative,
    is_owner,
    possible_owners,
    update_initiative,
)
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import QUESTIONS, SHORT_LABELS
from cxroadmap.stages import STAGES
from cxroadmap.validation import tidy

REQUIRED_FOR_NEW = ("title", "readiness_question")


@dataclass
class Row:
    number: int
    sheet: str
    ref: str | None
    values: dict
    existing: Initiative | BenefitEstimate | None = None
    # What the row changes in what exists, as the preview says it: (column, from, to).
    changes: list[tuple[str, str, str]] = field(default_factory=list)

    @property
    def changes_something(self) -> bool:
        return self.existing is None or bool(self.changes)


@dataclass
class SheetPlan:
    """What an import would do, and every problem that stops it."""

    initiatives: list[Row] = field(default_factory=list)
    benefits: list[Row] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)  # columns nobody reads, as written in the file

    @property
    def created(self) -> list[Row]:
        return [row for row in self.initiatives if row.existing is None]

    @property
    def updated(self) -> list[Row]:
        """The initiatives the file really changes; one it holds as it is is not counted."""
        return [row for row in self.initiatives if row.existing is not None and row.changes]

    @property
    def unchanged(self) -> int:
        return sum(1 for row in self.initiatives + self.benefits if not row.changes_something)

    @property
    def benefits_created(self) -> int:
        return sum(1 for row in self.benefits if row.existing is None)

    @property
    def benefits_updated(self) -> int:
        return sum(1 for row in self.benefits if row.existing is not None and row.changes)


def _shown(value) -> str:
    """A value as the preview of a change shows it."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return format_day(value)
    if isinstance(value, Decimal):
        return decimal_text(value) or "0"
    if is_owner(value):
        return value.email or value.name
    return str(value)


def _same(old, new) -> bool:
    if isinstance(old, str) or isinstance(new, str):
        return tidy(old or "") == tidy(new or "")
    return old == new


def _changes(existing, values: dict, header_of: dict, columns) -> list[tuple[str, str, str]]:
    """What values change in the existing row: (column as written in the file, from, to)."""
    changes = []
    for name, new in values.items():
        old = getattr(existing, name)
        if not _same(old, new):
            column = header_of.get(name) or str(columns[name].header)
            changes.append((column, _shown(old), _shown(new)))
    return changes


def _problem(plan: SheetPlan, row: int, header: str, message: str, sheet: str = "") -> None:
    where = _("sheet %(sheet)s, ", sheet=sheet) if sheet else ""
    plan.problems.append(where + _('row %(row)s, column "%(column)s": %(message)s', row=row, column=header,
                                   message=message))


def check_sheet(organisation: Organisation, tables: list[cells.Table], language: str) -> SheetPlan:
    """Check all of the tables read from a file (exchange.spreadsheets.files.read_tables) against the organisation;
    nothing is written."""
    plan = SheetPlan()
    initiative_names, benefit_names = cells.header_names(INITIATIVE_COLUMNS), cells.header_names(BENEFIT_COLUMNS)
    computed = set()  # the business case an export adds: worked out again, never read
    for language_code in LANGUAGES:
        with force_locale(language_code):
            computed |= {cells.key(str(c.header)) for c in CASE_COLUMNS}
    multi = len(tables) > 1
    seen_kind = False
    for table in tables:
        keys = [cells.key(h) for h in table.headers]
        is_benefits = any(benefit_names.get(k) == "kind" for k in keys)
        is_initiatives = any(initiative_names.get(k) in ("title", "ref") for k in keys)
        names = benefit_names if is_benefits else initiative_names if is_initiatives else None
        if names is None:
            if not multi:
                plan.problems.append(_("No column is a title or ref (for initiatives) or a kind of benefit: is "
                                       "the first row the headers?"))
            continue
        seen_kind = True
        mapping = {}
        for index, header in enumerate(table.headers):
            name = names.get(cells.key(header))
            if name is None or name in mapping.values():
                if header and cells.key(header) not in computed:
                    plan.ignored.append(header)
                continue
            mapping[index] = name
        sheet = table.name if multi else ""
        if is_benefits:
            _read_benefits(plan, organisation, table, mapping, language, sheet)
        else:
            _read_initiatives(plan, organisation, table, mapping, language, sheet)
    if not seen_kind and not plan.problems:
        plan.problems.append(_("No sheet holds initiatives or benefits."))
    _check_benefit_refs(plan, organisation)
    return plan


def _cell_readers(language: str) -> dict:
    questions = cells.choice_names(QUESTIONS, SHORT_LABELS)
    statuses, healths, stages = (cells.choice_names(c) for c in (STATUSES, HEALTHS, STAGES))
    kinds = cells.choice_names(BENEFIT_KINDS)
    return {
        "ref": lambda v: cells.text(v).upper() or None, "title": cells.text, "description": cells.text,
        "readiness_question": lambda v: cells.one_of(v, questions, QUESTIONS),
        "owner": lambda v: normal_email(cells.text(v)) or None,
        "status": lambda v: cells.one_of(v, statuses, STATUSES),
        "health": lambda v: cells.one_of(v, healths, HEALTHS),
        "progress": lambda v: cells.whole(v, language),
        "start_date": lambda v: cells.day(v, language), "due_date": lambda v: cells.day(v, language),
        "target_stage": lambda v: cells.one_of(v, stages, STAGES),
        "one_off_cost": lambda v: cells.number(v, language), "annual_running_cost": lambda v: cells.number(v, language),
        "archived": cells.yes_no,
        "kind": lambda v: cells.one_of(v, kinds, BENEFIT_KINDS),
        "volume": lambda v: cells.number(v, language), "rate": lambda v: cells.share(v, language),
        "unit_value": lambda v: cells.number(v, language), "annual_amount": lambda v: cells.number(v, language),
        "confidence": lambda v: cells.share(v, language), "starts_on": lambda v: cells.day(v, language),
        "ramp_months": lambda v: cells.whole(v, language),
    }


def _read_row(plan, table, number, row, mapping, readers, headers, sheet) -> tuple[dict, set[str]]:
    """The cells of a row that read well, and the names of those that did not (each a problem named)."""
    values, failed = {}, set()
    for index, name in mapping.items():
        raw = row[index] if index < len(row) else None
        try:
            values[name] = readers[name](raw)
        except cells.CellProblem as problem:
            _problem(plan, number, headers[index], str(problem), sheet)
            failed.add(name)
    return values, failed


def _read_initiatives(plan, organisation, table, mapping, language, sheet) -> None:
    readers = _cell_readers(language)
    header_of = {name: table.headers[index] for index, name in mapping.items()}
    existing = {i.ref: i for i in db.session.scalars(Initiative.scoped_to(organisation))}
    owners = possible_owners(organisation)
    refs_seen: set[str] = {row.ref for row in plan.initiatives if row.ref}
    for number, row in table.rows:
        # Every problem of the row is named in one pass: a cell that did not read, an unknown owner or a bad
        # reference does not keep the row's other values from being checked.
        values, failed = _read_row(plan, table, number, row, mapping, readers, table.headers, sheet)
        ref = values.pop("ref", None)
        if ref and not REF_PATTERN.match(ref):
            _problem(plan, number, header_of["ref"], _("a reference is up to 32 letters, digits, dots, dashes or "
                                                      "underscores"), sheet)
            failed.add("ref")
        elif ref in refs_seen:
            _problem(plan, number, header_of["ref"], _("%(ref)s is in the file twice", ref=ref), sheet)
            failed.add("ref")
        elif ref:
            refs_seen.add(ref)
        current = existing.get(ref) if ref and "ref" not in failed else None
        if "owner" in values:
            email = values["owner"]
            if email and email not in owners:
                _problem(plan, number, header_of["owner"], _("no coalition member has the email %(email)s",
                                                            email=email), sheet)
                failed.add("owner")
            values["owner"] = owners.get(email) if email else None
        if not _checks_out(plan, number, values, current, header_of, sheet, failed) or failed:
            continue
        changes = _changes(current, values, header_of, INITIATIVE_COLUMNS) if current is not None else []
        plan.initiatives.append(Row(number, sheet, ref, values, current, changes))


def _checks_out(plan, number, values, current, header_of, sheet, failed: set[str]) -> bool:
    """Whether the row's values make an initiative (alone or with what exists); problems with the cells in
    failed were named already."""
    given = {name: value for name, value in values.items() if name not in failed}
    if current is None:
        missing = [name for name in REQUIRED_FOR_NEW if not given.get(name) and name not in failed]
        for name in missing:
            column = header_of.get(name) or str(INITIATIVE_COLUMNS[name].header)
            _problem(plan, number, column, _("required for a new initiative"), sheet)
        if missing:
            return False
    base = {name: getattr(current, name) for name in INITIATIVE_COLUMNS if name not in ("ref", "archived")} \
        if current is not None else {
            "title": "", "readiness_question": None, "description": "", "owner": None, "status": "proposed",
            "health": "green", "progress": 0, "start_date": None, "due_date": None, "target_stage": None,
            "one_off_cost": Decimal("0.00"), "annual_running_cost": Decimal("0.00")}
    merged = {**base, **{k: v for k, v in given.items() if k != "archived"}, "ref": None}
    for name in ("status", "health"):
        merged[name] = merged[name] or base.get(name) or ("proposed" if name == "status" else "green")
    merged["progress"] = 0 if merged["progress"] is None else merged["progress"]
    for name in ("one_off_cost", "annual_running_cost"):
        merged[name] = Decimal("0.00") if merged[name] is None else merged[name]
    merged["title"], merged["description"] = tidy(merged["title"]), tidy(merged["description"])
    problems = {name: message for name, message in check_initiative(merged).items() if name not in failed}
    for name, message in problems.items():
        column = header_of.get(name) or str(INITIATIVE_COLUMNS.get(name, INITIATIVE_COLUMNS["title"]).header)
        _problem(plan, number, column, message, sheet)
    if not problems:
        values.update({k: merged[k] for k in ("status", "health", "progress", "one_off_cost", "annual_running_cost")
                       if k in values})
    return not problems


def _read_benefits(plan, organisation, table, mapping, language, sheet) -> None:
    readers = _cell_readers(language)
    header_of = {name: table.headers[index] for index, name in mapping.items()}
    if "ref" not in header_of:
        plan.problems.append(_('Benefits need a column "%(column)s".', column=str(BENEFIT_COLUMNS["ref"].header)))
        return
    existing = {}
    query = BenefitEstimate.scoped_to(organisation).add_columns(Initiative.ref)
    for benefit, ref in db.session.execute(query):
        existing.setdefault((ref, benefit.kind, benefit.description), benefit)
    for number, row in table.rows:
        values, failed = _read_row(plan, table, number, row, mapping, readers, table.headers, sheet)
        ref = values.pop("ref", None)
        if not ref and "ref" not in failed:
            _problem(plan, number, header_of["ref"], _("say which initiative (its ref)"), sheet)
            failed.add("ref")
        full = {"kind": None, "description": "", "volume": None, "rate": None, "unit_value": None,
                "annual_amount": None, "confidence": Decimal(1), "starts_on": None, "ramp_months": 0,
                **{k: v for k, v in values.items() if v is not None or k in ("volume", "rate", "unit_value")}}
        full["description"] = tidy(full["description"])
        if full["volume"] is not None and full["annual_amount"] is not None:
            full["annual_amount"] = None  # the drivers fix it; what a spreadsheet shows was worked out from them
        problems = {name: message for name, message in check_benefit(full).items() if name not in failed}
        for name, message in problems.items():
            column = header_of.get(name) or str(BENEFIT_COLUMNS[name].header)
            _problem(plan, number, column, message, sheet)
        if problems or failed:
            continue
        current = existing.get((ref, full["kind"], full["description"]))
        # With drivers, the annual amount is worked out from them: only the drivers can change it.
        compared = {name: value for name, value in full.items()
                    if not (name == "annual_amount" and full["volume"] is not None)}
        changes = _changes(current, compared, header_of, BENEFIT_COLUMNS) if current is not None else []
        plan.benefits.append(Row(number, sheet, ref, full, current, changes))


def _check_benefit_refs(plan: SheetPlan, organisation: Organisation) -> None:
    known = {row.ref for row in plan.initiatives if row.ref}
    known |= set(db.session.scalars(select(Initiative.ref).where(Initiative.organisation_id == organisation.id)))
    header = str(BENEFIT_COLUMNS["ref"].header)
    for row in plan.benefits:
        if row.ref not in known:
            _problem(plan, row.number, header, _("no initiative %(ref)s here or in the file", ref=row.ref), row.sheet)


def write_sheet(organisation: Organisation, plan: SheetPlan) -> SheetPlan:
    """Carry out a plan without problems, all of it or (on a refusal the checks missed) none of it."""
    if plan.problems:
        raise DomainError(plan.problems[0])
    made: dict[str, Initiative] = {}
    for row in plan.initiatives:
        if not row.changes_something:
            continue  # held as it is: no new version, nothing in the trail
        values = dict(row.values)
        archived = values.pop("archived", None)
        if row.existing is None:
            initiative = create_initiative(organisation, ref=row.ref, **values)
        else:
            initiative = update_initiative(organisation, row.existing, **values)
        if archived is not None:
            initiative.archived = archived
        made[initiative.ref] = initiative
    db.session.flush()
    for row in plan.benefits:
        if not row.changes_something:
            continue
        values = dict(row.values)
        if row.existing is not None:
            update_benefit(row.existing, **values)
            continue
        initiative = made.get(row.ref) or db.session.scalar(select(Initiative).where(
            Initiative.organisation_id == organisation.id, Initiative.ref == row.ref))
        if initiative is None:
            raise DomainError(_('row %(row)s: there is no initiative %(ref)s here or in the file.', row=row.number,
                                ref=row.ref))
        add_benefit(initiative, **values)
    return plan


PREVIEW_ROWS = 200  # a preview names this many initiatives of each list, and counts the rest


def preview(plan: SheetPlan) -> dict:
    """What the import would do, as a job keeps it to show before it is confirmed."""
    def named(rows):
        return [[row.ref or "", row.values.get("title") or (row.existing.title if row.existing else "")]
                for row in rows[:PREVIEW_ROWS]]
    updated = [[*named_row, [list(change) for change in row.changes]]
               for named_row, row in zip(named(plan.updated), plan.updated, strict=False)]
    return {"created": named(plan.created), "created_count": len(plan.created), "updated": updated,
            "updated_count": len(plan.updated), "benefits_created": plan.benefits_created,
            "benefits_updated": plan.benefits_updated, "unchanged": plan.unchanged, "ignored": plan.ignored}


def summary(plan: SheetPlan) -> str:
    """What was imported, said once it is written."""
    return _("Imported: %(created)s created, %(updated)s updated, %(benefits)s benefit estimates added.",
             created=len(plan.created), updated=len(plan.updated), benefits=plan.benefits_created)
