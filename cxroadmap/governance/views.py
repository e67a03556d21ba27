"""Pages of the steering committee: meetings with their decisions and actions, a meeting's steering pack and its
minutes (PDF), the dashboard, the timeline."""

from flask import current_app, flash, g, redirect, render_template, request, url_for

from cxroadmap.access import can, requires
from cxroadmap.accounts.page_cache import cached_page
from cxroadmap.audit.services import record_apart
from cxroadmap.charts import drawings
from cxroadmap.charts.svg import svg_chart
from cxroadmap.coalition.services import coalition_members
from cxroadmap.governance import services
from cxroadmap.governance.dashboard import dashboard, readiness_figures, stage_points, target_stage
from cxroadmap.governance.forms import ActionForm, DecisionForm, MeetingForm
from cxroadmap.governance.minutes import Minutes, gather_minutes
from cxroadmap.governance.steering_pack import SteeringPack, gather_pack
from cxroadmap.governance.summary import portfolio_summary
from cxroadmap.governance.timeline import GROUPINGS, TimelineFilter, chart_rows, parse_quarter, timeline, window_choices
from cxroadmap.i18n import _, current_language
from cxroadmap.initiatives.services import initiatives_by_refs, initiatives_to_review
from cxroadmap.timeutil import today, utcnow
from cxroadmap.web import (
    CHART_TEXT,
    chart_width,
    organisation_blueprint,
    page_number,
    page_with_cached_body,
    pdf_response,
    query_int,
    refused_form,
    render_form,
    saved,
    submit,
    submit_or_keep,
)

bp = organisation_blueprint("governance", __name__)


def _members():
    return coalition_members(g.organisation, active_only=True)


def _lookup(refs: list[str]) -> dict:
    """The organisation's initiatives by reference, for the initiative pickers."""
    return initiatives_by_refs(g.organisation, refs)


# -- meetings ------------------------------------------------------------------------------------------

@bp.route("/meetings", methods=["GET", "POST"])
@requires("steering", reads="viewer")
def meetings():
    members = _members()
    form = MeetingForm(members, _lookup)
    if request.method == "GET":
        form.agenda.data = initiatives_to_review(g.organisation)
        form.attendees.data = [m.id for m in members if m.coalition_role in ("sponsor", "lead")]
    meeting = submit(form, lambda: services.plan_meeting(g.organisation, **form.values()))
    if meeting:
        flash(_("Meeting planned. Open actions from earlier meetings are on its agenda by themselves."), "success")
        return redirect(url_for(".meeting", meeting_id=meeting.id))
    return render_form("governance/meetings.html", form, page=services.meetings_page(g.organisation, page_number()),
                       open_actions=services.open_actions(g.organisation), on=today())


@bp.get("/meetings/<int:meeting_id>")
@requires("viewer")
def meeting(meeting_id: int):
    return _meeting_page(services.meeting_in(g.organisation, meeting_id))


def _meeting_page(meeting, status: int = 200):
    """The meeting's page; 422 with the refused decision or action form shown again as typed."""
    steering = can("steering")
    return render_template(
        "governance/meeting.html", meeting=meeting, on=today(),
        carried=services.carried_over(g.organisation, meeting), actions=services.actions_of(meeting),
        decision_form=refused_form(DecisionForm, lambda: DecisionForm(_lookup, formdata=None))
        if steering else None,
        action_form=refused_form(ActionForm, lambda: ActionForm(_members(), _lookup, formdata=None))
        if steering else None), status


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@requires("steering")
def edit_meeting(meeting_id: int):
    meeting = services.meeting_in(g.organisation, meeting_id)
    form = MeetingForm(_members(), _lookup, obj=meeting)
    if request.method == "GET":
        form.attendees.data = [m.id for m in meeting.attendees]
    return saved(form, lambda: services.update_meeting(g.organisation, meeting, **form.values(),
                                                       expected_version=form.version.data),
                 lambda meeting: _("Meeting saved."),
                 lambda meeting: url_for(".meeting", meeting_id=meeting.id)
                 ) or render_form("governance/meeting_form.html", form, meeting=meeting)


@bp.post("/meetings/<int:meeting_id>/decisions")
@requires("steering")
def record_decision(meeting_id: int):
    meeting = services.meeting_in(g.organisation, meeting_id)
    form = DecisionForm(_lookup)
    if not submit_or_keep(form, lambda: services.record_decision(g.organisation, meeting, form.text.data,
                                                                  form.initiatives.ids), _("Decision recorded.")):
        return _meeting_page(meeting, 422)
    return redirect(url_for(".meeting", meeting_id=meeting.id, _anchor="decisions"))


@bp.post("/meetings/<int:meeting_id>/actions")
@requires("steering")
def assign_action(meeting_id: int):
    meeting = services.meeting_in(g.organisation, meeting_id)
    form = ActionForm(_members(), _lookup)
    if not submit_or_keep(form, lambda: services.assign_action(
            g.organisation, meeting, form.title.data, form.owner.data, form.due_on.data, form.initiative.ids),
            _("Action assigned.")):
        return _meeting_page(meeting, 422)
    return redirect(url_for(".meeting", meeting_id=meeting.id, _anchor="actions"))


@bp.post("/actions/<int:action_id>/<any(done, open):state>")
@requires("steering")
def set_action_state(action_id: int, state: str):
    action = services.action_in(g.organisation, action_id)
    services.set_action_done(action, state == "done")
    flash(_("Action done: %(title)s", title=action.title) if state == "done"
          else _("Action open again: %(title)s", title=action.title), "success")
    if request.form.get("back") == "dashboard":
        return redirect(url_for(".dashboard_page"))
    # Back to the meeting the person is on (a carried-over action belongs to an earlier one), else its own.
    shown = request.form.get("meeting", "")
    if shown.isdigit() and len(shown) < 10:
        meeting = services.meeting_in(g.organisation, int(shown))
        return redirect(url_for(".meeting", meeting_id=meeting.id, _anchor="actions"))
    return redirect(url_for(".meeting", meeting_id=action.meeting_id) if action.meeting_id else url_for(".meetings"))


@bp.get("/meetings/<int:meeting_id>/pack.pdf")
@requires("viewer")
def steering_pack(meeting_id: int):
    meeting = services.meeting_in(g.organisation, meeting_id)
    content = SteeringPack(gather_pack(g.organisation, meeting, today(), utcnow())).render()
    filename = f"{g.organisation.slug}-steering-pack-{meeting.held_on.isoformat()}.pdf"
    record_apart("report_download", g.organisation, object_type="Report", object_label=filename)
    return pdf_response(content, filename, inline=False)


@bp.get("/meetings/<int:meeting_id>/minutes.pdf")
@requires("viewer")
def minutes(meeting_id: int):
    meeting = services.meeting_in(g.organisation, meeting_id)
    on = today()
    if meeting.held_on > on:
        flash(_("The minutes can be downloaded once the meeting has been held."), "warning")
        return redirect(url_for(".meeting", meeting_id=meeting.id))
    content = Minutes(gather_minutes(g.organisation, meeting, on, utcnow())).render()
    filename = f"{g.organisation.slug}-minutes-{meeting.held_on.isoformat()}.pdf"
    record_apart("report_download", g.organisation, object_type="Report", object_label=filename)
    return pdf_response(content, filename, inline=False)


# -- dashboard and timeline ----------------------------------------------------------------------------

@bp.get("/dashboard")
@requires("viewer")
@cached_page
def dashboard_page():
    return page_with_cached_body("governance/dashboard.html", "governance/_dashboard_body.html",
                               ("STALE_UPDATE_DAYS", "ROLE_STATEMENT_MAX_AGE_DAYS", "BENEFIT_HORIZON_YEARS"),
                               lambda on, *settings: {"d": dashboard(g.organisation, on, *settings)})


def readiness_chart():
    """The readiness chart, on the dashboard and the overview: each question's score beside the share of teams
    whose role is logged. (drawing, title)"""
    readiness, coverage = readiness_figures(g.organisation, today(), current_app.config["ROLE_STATEMENT_MAX_AGE_DAYS"])
    scores = {key: (a.score if a else None) for key, a in readiness.items()}
    return drawings.readiness(scores, coverage.share, chart_width(380), text=CHART_TEXT), _("Readiness")


def _stages_chart():
    organisation = g.organisation
    return (drawings.stage_progression(stage_points(organisation), target_stage(organisation), chart_width(520),
                                       text=CHART_TEXT),
            _("Stage over time"))


def _money_chart():
    # The money comes from the portfolio summary the page drew from.
    config = current_app.config
    money = portfolio_summary(g.organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                              config["STALE_UPDATE_DAYS"]).money
    return (drawings.estimated_vs_realised(list(money), g.organisation.currency, current_language(),
                                           chart_width(520), text=CHART_TEXT),
            _("Benefits estimated and realised by year"))


# The dashboard's charts, each gathering only what it draws: name -> () -> (drawing, title).
DASHBOARD_CHARTS = {"stages": _stages_chart, "readiness": readiness_chart, "money": _money_chart}


@bp.get(f"/dashboard/<any({', '.join(DASHBOARD_CHARTS)}):chart>.svg")
@requires("viewer")
def dashboard_chart(chart: str):
    return svg_chart(*DASHBOARD_CHARTS[chart]())


def _timeline_filter() -> TimelineFilter:
    return TimelineFilter(group=request.args.get("group", "question"), status=request.args.get("status") or None,
                          health=request.args.get("health") or None, owner_id=query_int("owner"),
                          first=parse_quarter(request.args.get("from")), last=parse_quarter(request.args.get("to")),
                          page=page_number())


def _timeline(wanted: TimelineFilter):
    return timeline(g.organisation, wanted, today(), current_app.config["BENEFIT_HORIZON_YEARS"])


@bp.get("/timeline")
@requires("viewer")
def timeline_page():
    wanted = _timeline_filter()
    shown = _timeline(wanted)
    return render_template("governance/timeline.html", wanted=wanted, shown=shown, groupings=GROUPINGS,
                           members=coalition_members(g.organisation),
                           quarters=window_choices(today(), current_app.config["BENEFIT_HORIZON_YEARS"], shown))


@bp.get("/timeline.svg")
@requires("viewer")
def timeline_chart():
    shown = _timeline(_timeline_filter())
    return svg_chart(drawings.timeline(chart_rows(shown.groups), shown.first, shown.quarters, chart_width(900),
                                       today=today(), text=CHART_TEXT),
                     _("Roadmap timeline"))
