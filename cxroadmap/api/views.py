"""The JSON API's resources under /api/v1/: ids are the refs people see, URLs mirror the pages."""

import re
from urllib.parse import urlencode

from flask import Blueprint, Response, current_app, g, request
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.access import require
from cxroadmap.api import schemas
from cxroadmap.api.auth import protect
from cxroadmap.api.problems import ApiProblem
from cxroadmap.api.spec import IF_MATCH, PREFIX, operation
from cxroadmap.audit.services import current_actor, record_apart
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.coalition.services import normal_email
from cxroadmap.emails import has_control_characters
from cxroadmap.errors import DomainError
from cxroadmap.extensions import csrf, db
from cxroadmap.governance import services as governance
from cxroadmap.governance.models import ActionItem, Decision, SteeringMeeting
from cxroadmap.i18n import _
from cxroadmap.initiatives import policy as initiative_policy
from cxroadmap.initiatives import services as initiatives
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative, Milestone, StatusUpdate
from cxroadmap.journey import reading as journey_reading
from cxroadmap.journey import services as journey
from cxroadmap.journey.models import Touchpoint, TouchpointScore
from cxroadmap.journey.policy import SCORE_TOUCHPOINT
from cxroadmap.measures import services as measures
from cxroadmap.measures.models import Kpi, KpiReading
from cxroadmap.measures.policy import RECORD_READING
from cxroadmap.organisations.models import Organisation
from cxroadmap.overview.services import organisation_overview
from cxroadmap.reports import services as reports
from cxroadmap.reports.models import IssuedReport
from cxroadmap.timeutil import today

bp = Blueprint("api", __name__, url_prefix=PREFIX)
protect(bp)
csrf.exempt(bp)


# -- helpers -------------------------------------------------------------------------------------------

def _url(path: str) -> str:
    return f"{PREFIX}{path}"


def _cursor_offset(page: schemas.Page) -> int:
    """Where the page starts; the cursor is opaque to clients (today it counts rows, in base 36)."""
    return int(page.cursor[1:], 36) if page.cursor else 0


def _cursor(offset: int) -> str:
    digits = ""
    while True:
        offset, digit = divmod(offset, 36)
        digits = "0123456789abcdefghijklmnopqrstuvwxyz"[digit] + digits
        if not offset:
            return "c" + digits


def _paged(query, page: schemas.Page) -> tuple[list, dict]:
    """One page of the query's rows, and the Link header to the next page when there is one."""
    offset = _cursor_offset(page)
    rows = list(db.session.scalars(query.limit(page.limit + 1).offset(offset)).unique())
    headers = {}
    if len(rows) > page.limit:
        rows = rows[:page.limit]
        args = {**request.args.to_dict(), "cursor": _cursor(offset + page.limit), "limit": page.limit}
        headers["Link"] = f'<{request.base_url}?{urlencode(args)}>; rel="next"'
    return rows, headers


def _etag(row) -> str:
    return f'"v{row.version}"'


def _check_if_match(row, what: str) -> None:
    wanted = request.headers.get("If-Match")
    if wanted is None or wanted.strip() == "*":
        return
    if not re.fullmatch(IF_MATCH, wanted):
        raise ApiProblem(400, _("If-Match must be the ETag you read, such as \"v3\", or several separated by "
                                "commas."))
    tags = [tag.strip().removeprefix("W/") for tag in wanted.split(",")]
    if _etag(row) not in tags:
        who = row.updated_by or _("someone else")
        when = row.updated_at.strftime("%Y-%m-%d %H:%M UTC") if row.updated_at else ""
        raise ApiProblem(412, _("%(who)s changed %(what)s at %(when)s, after the version you sent. Nothing was "
                                "saved: read it again, then make your change.", who=who, what=what, when=when),
                         headers={"ETag": _etag(row)})


def _owner(organisation: Organisation, email: str | None) -> CoalitionMember | None:
    if not email:
        return None
    if has_control_characters(email):  # which no address has, and PostgreSQL refuses in any text (a NUL)
        raise DomainError({"owner": _("No coalition member of this organisation has the email %(email)s.",
                                      email=email.encode("unicode_escape").decode("ascii"))})
    owner = db.session.scalar(CoalitionMember.scoped_to(organisation).where(
        CoalitionMember.email == normal_email(email)).order_by(CoalitionMember.id).limit(1))
    if owner is None:
        raise DomainError({"owner": _("No coalition member of this organisation has the email %(email)s.",
                                      email=email)})
    return owner


# -- organisations -------------------------------------------------------------------------------------

def _summary(organisation: Organisation, role: str) -> dict:
    return {"slug": organisation.slug, "name": organisation.name, "currency": organisation.currency,
            "locale": organisation.locale, "role": role, "url": _url(f"/o/{organisation.slug}")}


@operation(bp, "GET", "/organisations", summary="The organisations this token reaches", tag="Organisations",
           role=None, response=schemas.OrganisationList)
def organisations():
    from cxroadmap.accounts.tokens import organisations_through

    items = [schemas.OrganisationSummary(**_summary(o, role)) for o, role in organisations_through(g.api_token)]
    return schemas.OrganisationList(items=items)


@operation(bp, "GET", "/o/<slug>", summary="An organisation with its overview figures", tag="Organisations",
           response=schemas.Organisation)
def organisation(organisation: Organisation):
    config = current_app.config
    overview = organisation_overview(organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                                     config["ROLE_STATEMENT_MAX_AGE_DAYS"], config["STALE_UPDATE_DAYS"])
    totals = overview.portfolio.totals
    return schemas.Organisation(
        **_summary(organisation, g.api_role), brand_promise=organisation.brand_promise,
        discount_rate=organisation.discount_rate, current_stage=overview.stage.stage if overview.stage else None,
        target_stage=organisation.target_stage, target_date=organisation.target_date,
        initiatives=schemas.Counts(by_status=overview.counts["status"], by_health=overview.counts["health"],
                                   by_question=overview.counts["question"]),
        portfolio=schemas.PortfolioFigures(
            annual_expected=totals.annual_expected, annual_risk_adjusted=totals.annual_risk_adjusted,
            one_off_cost=totals.one_off_cost, annual_running_cost=totals.annual_running_cost,
            horizon_years=totals.horizon_years, npv=totals.npv, roi=totals.roi,
            payback_months=totals.payback_months),
        needs_attention=list(overview.portfolio.attention_refs))


# -- initiatives ---------------------------------------------------------------------------------------

def _initiative(initiative: Initiative) -> schemas.Initiative:
    return schemas.Initiative(
        ref=initiative.ref, url=_url(f"/o/{g.organisation.slug}/initiatives/{initiative.ref}"),
        title=initiative.title, description=initiative.description,
        readiness_question=initiative.readiness_question,
        owner=(initiative.owner.email or initiative.owner.name) if initiative.owner else None,
        status=initiative.status, health=initiative.health, progress=initiative.progress,
        start_date=initiative.start_date, due_date=initiative.due_date, target_stage=initiative.target_stage,
        one_off_cost=initiative.one_off_cost, annual_running_cost=initiative.annual_running_cost,
        archived=initiative.archived, version=initiative.version, updated_by=initiative.updated_by,
        updated_at=initiative.updated_at)


def _find(organisation: Organisation, ref: str) -> Initiative:
    return initiatives.initiative_by_ref(organisation, ref)


@operation(bp, "GET", "/o/<slug>/initiatives", summary="Initiatives, filtered and sorted as on the page",
           tag="Initiatives", query=schemas.InitiativeQuery, response=schemas.InitiativeList, headers=["Link"])
def list_initiatives(organisation: Organisation, query: schemas.InitiativeQuery):
    owner_id = None
    if query.owner:
        owner = db.session.scalar(CoalitionMember.scoped_to(organisation).where(
            CoalitionMember.email == normal_email(query.owner)).limit(1))
        owner_id = owner.id if owner else -1
    wanted = initiatives.InitiativeFilter(question=query.question, status=query.status, health=query.health,
                                          owner_id=owner_id, archive=query.archive, text=query.q, sort=query.sort,
                                          descending=query.dir == "desc")
    rows, headers = _paged(initiatives.initiatives_query(organisation, wanted), query)
    return schemas.InitiativeList(items=[_initiative(i) for i in rows]), headers


@operation(bp, "POST", "/o/<slug>/initiatives", summary="Create an initiative", tag="Initiatives",
           role=initiative_policy.CREATE, body=schemas.InitiativeCreate, response=schemas.Initiative, status=201)
def create_initiative(organisation: Organisation, body: schemas.InitiativeCreate):
    values = body.model_dump()
    values["owner"] = _owner(organisation, values.pop("owner"))
    initiative = initiatives.create_initiative(organisation, **values)
    return _initiative(initiative), {"Location": _url(f"/o/{organisation.slug}/initiatives/{initiative.ref}"),
                                     "ETag": _etag(initiative)}


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>", summary="One initiative", tag="Initiatives",
           response=schemas.Initiative, versioned=True)
def get_initiative(organisation: Organisation, ref: str):
    initiative = _find(organisation, ref)
    return _initiative(initiative), {"ETag": _etag(initiative)}


@operation(bp, "PATCH", "/o/<slug>/initiatives/<ref>", summary="Change an initiative's fields",
           tag="Initiatives", role=initiative_policy.EDIT, body=schemas.InitiativeUpdate, response=schemas.Initiative,
           versioned=True)
def update_initiative(organisation: Organisation, ref: str, body: schemas.InitiativeUpdate):
    """Only the fields sent change. Send the ETag you read as If-Match: a change made since is refused (412)."""
    initiative = _find(organisation, ref)
    _check_if_match(initiative, initiative.ref)
    fields = body.model_dump(exclude_unset=True)
    note = fields.pop("note", "")
    for required in ("title", "readiness_question", "status", "health", "progress", "one_off_cost",
                     "annual_running_cost"):
        if required in fields and fields[required] is None:
            raise DomainError({required: _("This field is required.")})
    if "owner" in fields:
        fields["owner"] = _owner(organisation, fields["owner"])
    initiatives.update_initiative(organisation, initiative, note=note, **fields)
    return _initiative(initiative), {"ETag": _etag(initiative)}


def _archive(organisation: Organisation, ref: str, archived: bool):
    initiative = _find(organisation, ref)
    _check_if_match(initiative, initiative.ref)
    initiatives.set_archived(initiative, archived)
    return _initiative(initiative), {"ETag": _etag(initiative)}


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/archive", summary="Archive an initiative", tag="Initiatives",
           role=initiative_policy.ARCHIVE, response=schemas.Initiative, versioned=True)
def archive_initiative(organisation: Organisation, ref: str):
    return _archive(organisation, ref, True)


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/restore", summary="Restore an archived initiative",
           tag="Initiatives", role=initiative_policy.ARCHIVE, response=schemas.Initiative, versioned=True)
def restore_initiative(organisation: Organisation, ref: str):
    return _archive(organisation, ref, False)


# -- status updates, benefits, milestones --------------------------------------------------------------

def _update(update: StatusUpdate) -> schemas.StatusUpdate:
    return schemas.StatusUpdate(id=update.id, posted_on=update.posted_on, author=update.author,
                                status=update.status, health=update.health, progress=update.progress,
                                note=update.note)


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/status-updates", summary="An initiative's status history",
           tag="Status updates", query=schemas.Page, response=schemas.StatusUpdateList, headers=["Link"])
def list_status_updates(organisation: Organisation, ref: str, query: schemas.Page):
    initiative = _find(organisation, ref)
    select_updates = select(StatusUpdate).where(StatusUpdate.initiative_id == initiative.id).order_by(
        StatusUpdate.posted_on.desc(), StatusUpdate.posted_at.desc(), StatusUpdate.id.desc())
    rows, headers = _paged(select_updates, query)
    return schemas.StatusUpdateList(items=[_update(u) for u in rows]), headers


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/status-updates", summary="Post a status update",
           tag="Status updates", role=initiative_policy.POST_UPDATE, body=schemas.StatusUpdateCreate,
           response=schemas.StatusUpdate,
           status=201)
def post_status_update(organisation: Organisation, ref: str, body: schemas.StatusUpdateCreate):
    """The initiative's status, health and progress follow; the note says why. Steering posts on any initiative,
    a contributor on those they own."""
    initiative = _find(organisation, ref)
    require(initiative_policy.POST_UPDATE, initiative)
    update = tracking.post_status_update(organisation, initiative, **body.model_dump())
    return _update(update), {}


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/benefits", summary="An initiative's benefit estimates",
           tag="Benefits", response=schemas.BenefitList)
def list_benefits(organisation: Organisation, ref: str):
    initiative = _find(organisation, ref)
    rows = db.session.scalars(select(BenefitEstimate).where(BenefitEstimate.initiative_id == initiative.id)
                              .order_by(BenefitEstimate.id))
    return schemas.BenefitList(items=[schemas.Benefit(
        id=b.id, kind=b.kind, description=b.description, volume=b.volume, rate=b.rate, unit_value=b.unit_value,
        annual_amount=b.annual_amount, confidence=b.confidence, starts_on=b.starts_on,
        ramp_months=b.ramp_months) for b in rows])


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/milestones", summary="An initiative's milestones",
           tag="Milestones", response=schemas.MilestoneList)
def list_milestones(organisation: Organisation, ref: str):
    initiative = _find(organisation, ref)
    rows = db.session.scalars(select(Milestone).where(Milestone.initiative_id == initiative.id)
                              .options(selectinload(Milestone.slips)).order_by(Milestone.due_on, Milestone.id))
    return schemas.MilestoneList(items=[schemas.Milestone(
        id=m.id, title=m.title, due_on=m.due_on, original_due_on=m.original_due_on, done_on=m.done_on,
        slips=len(m.slips)) for m in rows])


# -- meetings, decisions, actions ----------------------------------------------------------------------

def _meeting(meeting: SteeringMeeting) -> schemas.Meeting:
    return schemas.Meeting(
        id=meeting.id, url=_url(f"/o/{g.organisation.slug}/meetings/{meeting.id}"), held_on=meeting.held_on,
        title=meeting.title, attendees=[m.name for m in meeting.attendees], agenda=[i.ref for i in meeting.agenda],
        other_items=meeting.other_item_lines, minutes=meeting.minutes,
        decisions=[schemas.Decision(id=d.id, text=d.text, initiatives=[i.ref for i in d.initiatives])
                   for d in meeting.decisions])


@operation(bp, "GET", "/o/<slug>/meetings", summary="Steering meetings with their decisions, latest first",
           tag="Meetings", query=schemas.Page, response=schemas.MeetingList, headers=["Link"])
def list_meetings(organisation: Organisation, query: schemas.Page):
    meetings = (SteeringMeeting.scoped_to(organisation)
                .options(selectinload(SteeringMeeting.attendees), selectinload(SteeringMeeting.agenda),
                         selectinload(SteeringMeeting.decisions).selectinload(Decision.initiatives))
                .order_by(SteeringMeeting.held_on.desc(), SteeringMeeting.id.desc()))
    rows, headers = _paged(meetings, query)
    return schemas.MeetingList(items=[_meeting(m) for m in rows]), headers


@operation(bp, "GET", "/o/<slug>/meetings/<int:meeting_id>", summary="One meeting with its decisions",
           tag="Meetings", response=schemas.Meeting)
def get_meeting(organisation: Organisation, meeting_id: int):
    return _meeting(governance.meeting_in(organisation, meeting_id))


@operation(bp, "GET", "/o/<slug>/actions", summary="Actions owed, soonest due first", tag="Meetings",
           query=schemas.ActionQuery, response=schemas.ActionList, headers=["Link"])
def list_actions(organisation: Organisation, query: schemas.ActionQuery):
    actions = (ActionItem.scoped_to(organisation)
               .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative))
               .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    if query.status != "all":
        actions = actions.where(ActionItem.status == query.status)
    rows, headers = _paged(actions, query)
    return schemas.ActionList(items=[schemas.Action(
        id=a.id, title=a.title, owner=a.owner.name if a.owner else None, due_on=a.due_on, status=a.status,
        done_on=a.done_on, initiative=a.initiative.ref if a.initiative else None, meeting_id=a.meeting_id)
        for a in rows]), headers


# -- reports -------------------------------------------------------------------------------------------

@operation(bp, "GET", "/o/<slug>/reports", summary="Issued reports, latest first", tag="Reports",
           query=schemas.Page, response=schemas.ReportList, headers=["Link"])
def list_reports(organisation: Organisation, query: schemas.Page):
    issued = IssuedReport.scoped_to(organisation).order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
    rows, headers = _paged(issued, query)
    return schemas.ReportList(items=[schemas.Report(
        id=r.id, kind=r.kind, issued_at=r.issued_at, issued_by=r.issued_by, filename=r.filename, sha256=r.sha256,
        size=r.size, download_url=_url(f"/o/{organisation.slug}/reports/{r.id}/download")) for r in rows]), headers


@operation(bp, "GET", "/o/<slug>/reports/<int:report_id>/download", summary="The PDF of an issued report",
           tag="Reports", media="application/pdf")
def download_report(organisation: Organisation, report_id: int):
    report = reports.issued_report(organisation, report_id)
    record_apart("report_download", organisation, object_type="Report", object_id=str(report.id),
                 object_label=report.filename)
    return Response(report.content, mimetype="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{report.filename}"'})


# -- KPIs ----------------------------------------------------------------------------------------------

def _reading(reading: KpiReading) -> schemas.KpiReading:
    return schemas.KpiReading(id=reading.id, taken_on=reading.taken_on, value=reading.value,
                              respondents=reading.respondents, note=reading.note, created_by=reading.created_by)


def _kpi(figures: measures.KpiFigures) -> schemas.Kpi:
    kpi, latest = figures.kpi, figures.latest
    return schemas.Kpi(
        code=kpi.code, url=_url(f"/o/{g.organisation.slug}/kpis/{kpi.code}"), name=kpi.name, kind=kpi.kind,
        measure=kpi.measure, unit=kpi.unit, direction=kpi.direction, baseline_value=kpi.baseline_value,
        baseline_on=kpi.baseline_on, target_value=kpi.target_value, target_on=kpi.target_on,
        owner=(kpi.owner.email or kpi.owner.name) if kpi.owner else None,
        touchpoint=kpi.touchpoint.key if kpi.touchpoint else None,
        latest=_reading(latest) if latest else None, expected=figures.expected, status=figures.status,
        achievement=figures.achievement, trend=figures.trend, version=kpi.version)


@operation(bp, "GET", "/o/<slug>/kpis", summary="KPIs with their latest reading, status and achievement",
           tag="KPIs", query=schemas.Page, response=schemas.KpiList, headers=["Link"])
def list_kpis(organisation: Organisation, query: schemas.Page):
    """O-data first, then X-data, each by code, as on the page."""
    kpis = Kpi.scoped_to(organisation).options(
        joinedload(Kpi.owner), joinedload(Kpi.touchpoint).joinedload(Touchpoint.stage)).order_by(
        Kpi.kind, Kpi.code, Kpi.id)
    rows, headers = _paged(kpis, query)
    readings = measures.readings_by_kpi([kpi.id for kpi in rows])
    on = today()
    return schemas.KpiList(items=[_kpi(figures) for figures in measures.figures_of_many(rows, readings, on)]), headers


@operation(bp, "GET", "/o/<slug>/kpis/<code>", summary="One KPI with its latest reading, status and achievement",
           tag="KPIs", response=schemas.Kpi, versioned=True)
def get_kpi(organisation: Organisation, code: str):
    kpi = measures.kpi_by_code(organisation, code)
    return _kpi(measures.kpi_figures(kpi, today())), {"ETag": _etag(kpi)}


@operation(bp, "GET", "/o/<slug>/kpis/<code>/readings", summary="A KPI's readings, the latest first",
           tag="KPIs", query=schemas.Page, response=schemas.KpiReadingList, headers=["Link"])
def list_kpi_readings(organisation: Organisation, code: str, query: schemas.Page):
    kpi = measures.kpi_by_code(organisation, code)
    readings = select(KpiReading).where(KpiReading.kpi_id == kpi.id).order_by(
        KpiReading.taken_on.desc(), KpiReading.id.desc())
    rows, headers = _paged(readings, query)
    return schemas.KpiReadingList(items=[_reading(r) for r in rows]), headers


@operation(bp, "POST", "/o/<slug>/kpis/<code>/readings", summary="Record a reading (e.g. from a survey tool)",
           tag="KPIs", role=RECORD_READING, body=schemas.KpiReadingCreate, response=schemas.KpiReading, status=201)
def post_kpi_reading(organisation: Organisation, code: str, body: schemas.KpiReadingCreate):
    """Checked as the KPI page checks it (the measure's range, no future date); a reading already recorded for
    that day is replaced."""
    kpi = measures.kpi_by_code(organisation, code)
    reading = measures.record_reading(kpi, **body.model_dump())
    db.session.refresh(reading)  # answer with what was stored, as a later read will
    return _reading(reading), {"Location": _url(f"/o/{organisation.slug}/kpis/{kpi.code}/readings")}


# -- the journey ---------------------------------------------------------------------------------------

def _score(score: TouchpointScore) -> schemas.TouchpointScore:
    return schemas.TouchpointScore(id=score.id, scored_on=score.scored_on, expectation=score.expectation,
                                   perception=score.perception, gap=score.gap, respondents=score.respondents,
                                   source=score.source, recorded_by=score.recorded_by)


@operation(bp, "GET", "/o/<slug>/journey", summary="The journey's stages with their touchpoints and latest gaps",
           tag="Journey", response=schemas.Journey)
def get_journey(organisation: Organisation):
    read = journey_reading.journey_reading(organisation, today())
    slug = organisation.slug
    return schemas.Journey(gap=read.overall_gap, stages=[schemas.JourneyStage(
        name=stage.stage.name, position=stage.stage.position, gap=stage.gap, touchpoints=[schemas.Touchpoint(
            key=r.touchpoint.key, url=_url(f"/o/{slug}/touchpoints/{r.touchpoint.key}/scores"),
            name=r.touchpoint.name, channel=r.touchpoint.channel,
            owner=r.touchpoint.team.name if r.touchpoint.team else None,
            moment_of_truth=r.touchpoint.moment_of_truth, latest=_score(r.latest) if r.latest else None,
            gap=r.gap, stale=r.stale) for r in stage.touchpoints]) for stage in read.stages])


@operation(bp, "GET", "/o/<slug>/touchpoints/<key>/scores", summary="A touchpoint's scores, the latest first",
           tag="Journey", query=schemas.Page, response=schemas.TouchpointScoreList, headers=["Link"])
def list_touchpoint_scores(organisation: Organisation, key: str, query: schemas.Page):
    touchpoint = journey.touchpoint_by_key(organisation, key)
    scores = (select(TouchpointScore).where(TouchpointScore.touchpoint_id == touchpoint.id)
              .options(joinedload(TouchpointScore.touchpoint))
              .order_by(TouchpointScore.scored_on.desc(), TouchpointScore.id.desc()))
    rows, headers = _paged(scores, query)
    return schemas.TouchpointScoreList(items=[_score(s) for s in rows]), headers


@operation(bp, "POST", "/o/<slug>/touchpoints/<key>/scores", summary="Record a touchpoint's expectation and "
           "perception", tag="Journey", role=SCORE_TOUCHPOINT, body=schemas.TouchpointScoreCreate,
           response=schemas.TouchpointScore, status=201)
def post_touchpoint_score(organisation: Organisation, key: str, body: schemas.TouchpointScoreCreate):
    """Checked as the touchpoint page checks it; earlier scores are kept, the latest counts."""
    touchpoint = journey.touchpoint_by_key(organisation, key)
    score = journey.add_score(organisation, touchpoint, **body.model_dump(),
                              recorded_by=current_actor().label)
    db.session.refresh(score)
    return _score(score), {"Location": _url(f"/o/{organisation.slug}/touchpoints/{touchpoint.key}/scores")}
