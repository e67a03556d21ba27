"""What each spreadsheet holds: the rows of a list page (its filters applied) or of the whole organisation."""

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial
from operator import itemgetter

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.services import benefits_by_initiative, initiative_case
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.exchangekit.parts import SheetScope
from cxroadmap.exchangekit.sheets import Column, Sheet, yes_no
from cxroadmap.extensions import db
from cxroadmap.i18n import _l
from cxroadmap.initiatives.models import Initiative, Milestone, StatusUpdate
from cxroadmap.initiatives.services import InitiativeFilter, initiatives_query
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import SHORT_LABELS
from cxroadmap.stages import STAGES

# The workbook's survey answers cover this many days up to the day it is made, unless a period is asked.
ANSWER_DAYS = 90

# The initiative columns an import reads back, in the order they are written (header, kind).
INITIATIVE_COLUMNS = {
    "ref": Column(_l("Ref")),
    "title": Column(_l("Title")),
    "description": Column(_l("Description"), width=50),
    "readiness_question": Column(_l("Readiness question")),
    "owner": Column(_l("Owner email")),
    "status": Column(_l("Status")),
    "health": Column(_l("Health")),
    "progress": Column(_l("Progress"), "percent"),
    "start_date": Column(_l("Start date"), "date"),
    "due_date": Column(_l("Due date"), "date"),
    "target_stage": Column(_l("Target stage")),
    "one_off_cost": Column(_l("One-off cost"), "money"),
    "annual_running_cost": Column(_l("Annual running cost"), "money"),
    "archived": Column(_l("Archived")),
}
CASE_COLUMNS = [Column(_l("Annual benefit"), "money"), Column(_l("Risk-adjusted annual benefit"), "money"),
                Column(_l("NPV"), "money"), Column(_l("ROI"), "percent"), Column(_l("Payback (months)"), "whole")]
BENEFIT_COLUMNS = {
    "ref": Column(_l("Initiative ref")),
    "kind": Column(_l("Kind of benefit")),
    "description": Column(_l("Description"), width=40),
    "volume": Column(_l("Volume"), "number"),
    "rate": Column(_l("Rate"), "number"),
    "unit_value": Column(_l("Unit value"), "money"),
    "annual_amount": Column(_l("Annual amount"), "money"),
    "confidence": Column(_l("Confidence"), "percent"),
    "starts_on": Column(_l("Starts on"), "date"),
    "ramp_months": Column(_l("Ramp-up (months)"), "whole"),
}


def initiatives_sheet(organisation: Organisation, wanted: InitiativeFilter, horizon_years: int, on: date) -> Sheet:
    """The initiatives the list page shows with these filters, with each one's business case."""
    initiatives = list(db.session.scalars(initiatives_query(organisation, wanted)).unique())
    benefits = benefits_by_initiative(initiatives)
    rows = []
    for initiative in initiatives:
        case = initiative_case(organisation, initiative, benefits[initiative.id], horizon_years, on)
        rows.append([
            initiative.ref, initiative.title, initiative.description, SHORT_LABELS.get(
                initiative.readiness_question, initiative.readiness_question),
            initiative.owner.email if initiative.owner else None, initiative.status_label,
            initiative.health_label, initiative.progress, initiative.start_date, initiative.due_date,
            STAGES.label(initiative.target_stage) if initiative.target_stage else None, initiative.one_off_cost,
            initiative.annual_running_cost, yes_no(initiative.archived),
            case.annual_expected, case.annual_risk_adjusted, case.npv, case.roi, case.payback_months,
        ])
    return Sheet(_l("Initiatives"), [*INITIATIVE_COLUMNS.values(), *CASE_COLUMNS], rows)


def benefits_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    """The benefit estimates of the initiatives the list shows with these filters."""
    initiatives = list(db.session.scalars(initiatives_query(organisation, wanted)).unique())
    grouped = benefits_by_initiative(initiatives)
    rows = [[i.ref, BENEFIT_KINDS.label(b.kind), b.description, b.volume, b.rate, b.unit_value, b.annual_amount,
             b.confidence, b.starts_on, b.ramp_months] for i in initiatives for b in grouped[i.id]]
    return Sheet(_l("Benefits"), list(BENEFIT_COLUMNS.values()), rows)


def status_updates_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    ids = select(initiatives_query(organisation, wanted).with_only_columns(Initiative.id).subquery().c.id)
    query = (StatusUpdate.scoped_to(organisation).where(StatusUpdate.initiative_id.in_(ids))
             .options(joinedload(StatusUpdate.initiative))
             .order_by(StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(), StatusUpdate.id.desc()))
    rows = [[u.initiative.ref, u.posted_on, u.author, STATUSES.label(u.status), HEALTHS.label(u.health), u.progress,
             u.note] for u in db.session.scalars(query)]
    return Sheet(_l("Status updates"), [Column(_l("Initiative ref")), Column(_l("Date"), "date"),
                                        Column(_l("Author")), Column(_l("Status")), Column(_l("Health")),
                                        Column(_l("Progress"), "percent"), Column(_l("Note"), width=50)], rows)


def milestones_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    ids = select(initiatives_query(organisation, wanted).with_only_columns(Initiative.id).subquery().c.id)
    query = (Milestone.scoped_to(organisation).where(Milestone.initiative_id.in_(ids))
             .options(joinedload(Milestone.initiative), selectinload(Milestone.slips))
             .order_by(Milestone.due_on, Milestone.id))
    rows = [[m.initiative.ref, m.title, m.due_on, m.original_due_on, m.done_on, len(m.slips),
             (m.due_on - m.original_due_on).days] for m in db.session.scalars(query)]
    return Sheet(_l("Milestones"), [Column(_l("Initiative ref")), Column(_l("Milestone")),
                                    Column(_l("Due"), "date"), Column(_l("Originally due"), "date"),
                                    Column(_l("Done"), "date"), Column(_l("Slips"), "whole"),
                                    Column(_l("Days slipped"), "whole")], rows)


def answer_period(on: date, since: date | None = None, until: date | None = None) -> tuple[date, date]:
    """The days whose survey answers the workbook holds: as asked, else the ANSWER_DAYS up to on."""
    until = until or on
    since = since or until - timedelta(days=ANSWER_DAYS - 1)
    return (since, until) if since <= until else (until, since)


def organisation_workbook(organisation: Organisation, horizon_years: int, on: date,
                          gathered: Callable[[float], None] | None = None,
                          answers: tuple[date, date] | None = None) -> list[Sheet]:
    """Everything of the organisation, one sheet per area (archived initiatives included), the survey answers of
    the period asked (answers: first and last day; else the ANSWER_DAYS up to on); gathered hears the share of
    the sheets gathered so far."""
    scope = SheetScope(on, horizon_years, answers or answer_period(on))
    everything = InitiativeFilter(archive="all")
    here = [(10, lambda: initiatives_sheet(organisation, everything, horizon_years, on)),
            (20, lambda: benefits_sheet(organisation, everything)),
            (30, lambda: status_updates_sheet(organisation, everything)),
            (40, lambda: milestones_sheet(organisation, everything))]
    contributed = [(sheet.order, partial(sheet.make, organisation, scope))
                   for part in exchange_parts() for sheet in part.sheets]
    makers = [make for _order, make in sorted(here + contributed, key=itemgetter(0))]
    sheets = []
    for make in makers:
        sheets.append(make())
        if gathered is not None:
            gathered(len(sheets) / len(makers))
    return sheets
