"""The spreadsheets of the initiatives with their business cases and of their benefit estimates: of the
initiatives list (its filters applied) and of the workbook; their columns are what the spreadsheet import reads."""

from datetime import date

from sqlalchemy import select

from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.services import estimate_rows_by_initiative, initiative_case
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.exchangekit.sheets import Column, Sheet, yes_no
from cxroadmap.extensions import db
from cxroadmap.i18n import _l
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import InitiativeFilter, initiatives_query
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import SHORT_LABELS
from cxroadmap.stages import STAGES

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


# What the initiatives sheet prints of an initiative, and its case reads: columns, not whole initiatives and owners
# (thousands of rows to print, none to change).
_PRINTED = (Initiative.id, Initiative.ref, Initiative.title, Initiative.description, Initiative.readiness_question,
            CoalitionMember.email, Initiative.status, Initiative.health, Initiative.progress, Initiative.start_date,
            Initiative.due_date, Initiative.target_stage, Initiative.one_off_cost, Initiative.annual_running_cost,
            Initiative.archived)


def _ids(organisation: Organisation, wanted: InitiativeFilter):
    """The ids of the initiatives the list shows with these filters, as a select to read their estimates by."""
    return select(initiatives_query(organisation, wanted).with_only_columns(Initiative.id).subquery().c.id)


def initiatives_sheet(organisation: Organisation, wanted: InitiativeFilter, horizon_years: int, on: date) -> Sheet:
    """The initiatives the list page shows with these filters, with each one's business case."""
    initiatives = db.session.execute(initiatives_query(organisation, wanted).with_only_columns(*_PRINTED)).all()
    benefits = estimate_rows_by_initiative(_ids(organisation, wanted))
    statuses, healths = ({key: labels.label(key) for key in labels.keys} for labels in (STATUSES, HEALTHS))
    rows = []
    for initiative in initiatives:
        case = initiative_case(organisation, initiative, benefits[initiative.id], horizon_years, on)
        rows.append([
            initiative.ref, initiative.title, initiative.description, SHORT_LABELS.get(
                initiative.readiness_question, initiative.readiness_question),
            initiative.email, statuses.get(initiative.status) or STATUSES.label(initiative.status),
            healths.get(initiative.health) or HEALTHS.label(initiative.health), initiative.progress,
            initiative.start_date, initiative.due_date,
            STAGES.label(initiative.target_stage) if initiative.target_stage else None, initiative.one_off_cost,
            initiative.annual_running_cost, yes_no(initiative.archived),
            case.annual_expected, case.annual_risk_adjusted, case.npv, case.roi, case.payback_months,
        ])
    return Sheet(_l("Initiatives"), [*INITIATIVE_COLUMNS.values(), *CASE_COLUMNS], rows)


def benefits_sheet(organisation: Organisation, wanted: InitiativeFilter) -> Sheet:
    """The benefit estimates of the initiatives the list shows with these filters."""
    initiatives = db.session.execute(initiatives_query(organisation, wanted).with_only_columns(
        Initiative.id, Initiative.ref)).all()
    grouped = estimate_rows_by_initiative(_ids(organisation, wanted))
    kinds = {key: BENEFIT_KINDS.label(key) for key in BENEFIT_KINDS.keys}
    rows = [[ref, kinds.get(b.kind) or BENEFIT_KINDS.label(b.kind), b.description, b.volume, b.rate, b.unit_value,
             b.annual_amount, b.confidence, b.starts_on, b.ramp_months] for id_, ref in initiatives
            for b in grouped[id_]]
    return Sheet(_l("Benefits"), list(BENEFIT_COLUMNS.values()), rows)
