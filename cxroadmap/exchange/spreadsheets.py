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
from cxroadmap.exchangekit.sheets import Column, Sheet
from cxroadmap.extensions import db
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.i18n import _, _l
from cxroadmap.initiatives.models import Initiative, Milestone, StatusUpdate
from cxroadmap.initiatives.services import InitiativeFilter, initiatives_query
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.journey.reading import journey_reading
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.measures.services import kpi_board
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


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


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


def decisions_sheet(organisation: Organisation) -> Sheet:
    query = (Decision.scoped_to(organisation).options(joinedload(Decision.meeting), selectinload(
        Decision.initiatives)).order_by(SteeringMeeting.held_on.desc(), Decision.id))
    rows = [[d.meeting.held_on, d.meeting.title, d.text, ", ".join(i.ref for i in d.initiatives)]
            for d in db.session.scalars(query)]
    return Sheet(_l("Decisions"), [Column(_l("Meeting date"), "date"), Column(_l("Meeting")),
                                   Column(_l("Decision"), width=60), Column(_l("Initiatives"))], rows)


def actions_sheet(organisation: Organisation, status: str = "all") -> Sheet:
    query = (ActionItem.scoped_to(organisation)
             .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative), joinedload(ActionItem.meeting))
             .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    if status in ("open", "done"):
        query = query.where(ActionItem.status == status)
    rows = [[a.title, a.owner.name if a.owner else None, a.due_on, _("done") if a.status == "done" else _("open"),
             a.done_on, a.initiative.ref if a.initiative else None, a.meeting.held_on if a.meeting else None]
            for a in db.session.scalars(query)]
    return Sheet(_l("Actions"), [Column(_l("Action"), width=50), Column(_l("Owner")), Column(_l("Due"), "date"),
                                 Column(_l("State")), Column(_l("Done"), "date"), Column(_l("Initiative ref")),
                                 Column(_l("Raised at meeting of"), "date")], rows)


def _percent(value):
    """An achievement in percent as the fraction a percent cell holds."""
    return value / 100 if value is not None else None


def kpis_sheet(organisation: Organisation, on: date) -> Sheet:
    """The KPIs as the KPI page lists them: each with its latest reading, target, status and achievement."""
    rows = []
    for figures in kpi_board(organisation, on):
        kpi, latest = figures.kpi, figures.latest
        rows.append([kpi.code, kpi.name, kpi.kind_label, kpi.measure_label, kpi.unit, kpi.direction_label,
                     kpi.owner.name if kpi.owner else None, kpi.touchpoint.name if kpi.touchpoint else None,
                     kpi.baseline_value, kpi.baseline_on, kpi.target_value, kpi.target_on,
                     latest.value if latest else None, latest.taken_on if latest else None, figures.expected,
                     figures.status_label, _percent(figures.achievement),
                     figures.trend_label if figures.trend else None])
    return Sheet(_l("KPIs"), [
        Column(_l("Code")), Column(_l("Name"), width=40), Column(_l("Kind of data")), Column(_l("Measure")),
        Column(_l("Unit")), Column(_l("Direction")), Column(_l("Owner")), Column(_l("Touchpoint")),
        Column(_l("Baseline"), "number"), Column(_l("Baseline date"), "date"), Column(_l("Target"), "number"),
        Column(_l("Target date"), "date"), Column(_l("Latest"), "number"), Column(_l("Latest date"), "date"),
        Column(_l("Expected today"), "number"), Column(_l("Status")), Column(_l("Achievement"), "percent"),
        Column(_l("Trend"))], rows)


def kpi_readings_sheet(organisation: Organisation) -> Sheet:
    """Every reading of every KPI, by KPI, the latest first."""
    query = (KpiReading.scoped_to(organisation).options(joinedload(KpiReading.kpi))
             .order_by(Kpi.kind, Kpi.code, KpiReading.taken_on.desc(), KpiReading.id.desc()))
    rows = [[r.kpi.code, r.kpi.name, r.taken_on, r.value, r.respondents, r.note, r.created_by]
            for r in db.session.scalars(query)]
    return Sheet(_l("KPI readings"), [Column(_l("Code")), Column(_l("KPI"), width=40), Column(_l("Date"), "date"),
                                      Column(_l("Value"), "number"), Column(_l("Respondents"), "whole"),
                                      Column(_l("Note"), width=50), Column(_l("Recorded by"))], rows)


def touchpoints_sheet(organisation: Organisation, on: date) -> Sheet:
    """The journey's touchpoints in journey order, each with its latest expectation, perception and gap."""
    rows = []
    for stage in journey_reading(organisation, on).stages:
        for r in stage.touchpoints:
            touchpoint, latest = r.touchpoint, r.latest
            rows.append([stage.stage.name, touchpoint.key, touchpoint.name, touchpoint.channel,
                         touchpoint.team.name if touchpoint.team else None, yes_no(touchpoint.moment_of_truth),
                         latest.expectation if latest else None, latest.perception if latest else None,
                         latest.gap if latest else None, latest.respondents if latest else None,
                         latest.scored_on if latest else None])
    return Sheet(_l("Touchpoints"), [
        Column(_l("Stage")), Column(_l("Key")), Column(_l("Touchpoint"), width=40), Column(_l("Channel")),
        Column(_l("Owner")), Column(_l("Moment of truth")), Column(_l("Expectation"), "number"),
        Column(_l("Perception"), "number"), Column(_l("Gap"), "number"), Column(_l("Respondents"), "whole"),
        Column(_l("Scored on"), "date")], rows)


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
            (40, lambda: milestones_sheet(organisation, everything)), (50, lambda: decisions_sheet(organisation)),
            (60, lambda: actions_sheet(organisation)), (70, lambda: kpis_sheet(organisation, on)),
            (80, lambda: kpi_readings_sheet(organisation)), (90, lambda: touchpoints_sheet(organisation, on))]
    contributed = [(sheet.order, partial(sheet.make, organisation, scope))
                   for part in exchange_parts() for sheet in part.sheets]
    makers = [make for _order, make in sorted(here + contributed, key=itemgetter(0))]
    sheets = []
    for make in makers:
        sheets.append(make())
        if gathered is not None:
            gathered(len(sheets) / len(makers))
    return sheets
