"""Pages of the customer journey: the map, the stages, each touchpoint with its scores, and the gap charts."""

from collections.abc import Callable

from flask import flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import requires
from cxroadmap.charts import journey as charts
from cxroadmap.charts.svg import svg_chart
from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.coalition.views import team_page_section
from cxroadmap.errors import DomainError, NotInOrganisation
from cxroadmap.i18n import _, format_day
from cxroadmap.journey import calc, reading, services
from cxroadmap.journey.channels import USUAL_CHANNELS
from cxroadmap.journey.formatting import format_gap
from cxroadmap.journey.forms import ScoreForm, StageForm, TouchpointForm
from cxroadmap.journey.models import JourneyStage, Touchpoint, TouchpointScore
from cxroadmap.journey.policy import SCORE_TOUCHPOINT
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.readiness.evidence import Evidence, readiness_evidence
from cxroadmap.timeutil import today
from cxroadmap.web import (
    CHART_TEXT,
    chart_width,
    organisation_blueprint,
    page_number,
    render_form,
    saved,
    submit,
    submit_and_tell,
)

bp = organisation_blueprint("journey", __name__)

# Areas above this one (initiatives: which work on a touchpoint) add their part of the touchpoint page here.
_touchpoint_sections: list[tuple[int, str, Callable[[Touchpoint], dict]]] = []


def touchpoint_page_section(template: str, place: int):
    """Register fn(touchpoint) -> context as a section of the touchpoint page, drawn with template."""
    def register(fn):
        _touchpoint_sections.append((place, template, fn))
        _touchpoint_sections.sort(key=lambda section: section[0])
        return fn
    return register


# … and of the journey page: fn(organisation) -> context or None (nothing to say), drawn with template; a context's
# "marks" ({touchpoint key: short text}) are shown on those touchpoints' cards on the map.
_journey_sections: list[tuple[int, str, Callable[[object], dict | None]]] = []


def journey_page_section(template: str, place: int):
    """Register fn(organisation) -> context or None as a section of the journey page, drawn with template."""
    def register(fn):
        _journey_sections.append((place, template, fn))
        _journey_sections.sort(key=lambda section: section[0])
        return fn
    return register


def _journey_page_sections(organisation) -> tuple[list[tuple[str, dict]], dict[str, list[str]]]:
    """The sections the areas above add to the journey page, and the marks they put on touchpoint cards."""
    sections, marks = [], {}
    for _place, template, context_of in _journey_sections:
        context = context_of(organisation)
        if context is None:
            continue
        sections.append((template, context))
        for key, text in context.get("marks", {}).items():
            marks.setdefault(key, []).append(text)
    return sections, marks


def _touchpoint(key: str) -> Touchpoint:
    return services.touchpoint_by_key(g.organisation, key)


# -- the map -------------------------------------------------------------------------------------------

@bp.get("/journey")
@requires("viewer")
def index():
    journey = reading.journey_reading(g.organisation, today())
    chosen = None
    wanted = request.args.get("touchpoint")
    if wanted:
        chosen = next((r for r in journey.touchpoints if r.touchpoint.key == wanted), None)
    if chosen is None:
        chosen = next((r for r in journey.ranked if r.latest), None)
    sections, marks = _journey_page_sections(g.organisation)
    return render_template("journey/index.html", journey=journey, chosen=chosen, sections=sections, marks=marks)


@bp.get("/journey/gaps.svg")
@requires("viewer")
def gaps_chart():
    journey = reading.journey_reading(g.organisation, today())
    return svg_chart(charts.journey_gaps(reading.gap_chart_rows(journey), 720, format_gap),
                     _("The gap at each touchpoint"))


@bp.get("/journey/touchpoints/<key>/gap.svg")
@requires("viewer")
def gap_chart(key: str):
    touchpoint = _touchpoint(key)
    return svg_chart(charts.gap_over_time(reading.gap_points(touchpoint), chart_width(560), format_gap,
                                          text=CHART_TEXT),
                     _("%(touchpoint)s: the gap over time", touchpoint=touchpoint.name))


# -- stages --------------------------------------------------------------------------------------------

@bp.route("/journey/stages", methods=["GET", "POST"])
@requires("steering")
def stages():
    form = StageForm()
    return saved(form, lambda: services.add_stage(g.organisation, form.name.data),
                 lambda stage: _("Stage %(name)s added at the end of the journey.", name=stage.name),
                 lambda stage: url_for(".stages")) \
        or render_form("journey/stages.html", form, stages=reading.journey_reading(g.organisation, today()).stages)


@bp.post("/journey/stages/<int:stage_id>/rename")
@requires("steering")
def rename_stage(stage_id: int):
    stage = get_in_organisation(g.organisation, JourneyStage, id=stage_id)
    form = StageForm()
    submit_and_tell(form, lambda: services.rename_stage(g.organisation, stage, form.name.data,
                                                        expected_version=form.version.data),
                    _("Stage renamed."))
    return redirect(url_for(".stages"))


@bp.post("/journey/stages/<int:stage_id>/move")
@requires("steering")
def move_stage(stage_id: int):
    stage = get_in_organisation(g.organisation, JourneyStage, id=stage_id)
    services.move_stage(g.organisation, stage, -1 if request.form.get("direction") == "earlier" else 1)
    return redirect(url_for(".stages"))


@bp.post("/journey/stages/<int:stage_id>/remove")
@requires("steering")
def remove_stage(stage_id: int):
    stage = get_in_organisation(g.organisation, JourneyStage, id=stage_id)
    name = stage.name
    try:
        services.remove_stage(g.organisation, stage)
    except DomainError as refusal:
        flash(_("Not removed. %(reasons)s", reasons=str(refusal)), "danger")
    else:
        flash(_("Stage %(name)s removed.", name=name), "success")
    return redirect(url_for(".stages"))


# -- touchpoints ---------------------------------------------------------------------------------------

def _touchpoint_form(**kwargs) -> TouchpointForm:
    return TouchpointForm(services.journey_stages(g.organisation), teams_with_roles(g.organisation), **kwargs)


@bp.route("/journey/touchpoints/new", methods=["GET", "POST"])
@requires("steering")
def new_touchpoint():
    form = _touchpoint_form()
    if request.method == "GET" and request.args.get("stage", "").isdigit():
        form.stage_id.data = int(request.args["stage"])
    return saved(form, lambda: services.add_touchpoint(g.organisation, **form.values(), key=form.key.data),
                 lambda touchpoint: _("Touchpoint %(name)s added. Score it when customers have told you how it went.",
                                      name=touchpoint.name),
                 _page_of) or _touchpoint_form_page(form, None)


@bp.route("/journey/touchpoints/<key>/edit", methods=["GET", "POST"])
@requires("steering")
def edit_touchpoint(key: str):
    touchpoint = _touchpoint(key)
    form = _touchpoint_form(obj=touchpoint)
    return saved(form, lambda: services.update_touchpoint(g.organisation, touchpoint, **form.values(),
                                                          expected_version=form.version.data),
                 lambda touchpoint: _("Touchpoint %(name)s saved.", name=touchpoint.name),
                 _page_of) or _touchpoint_form_page(form, touchpoint)


def _touchpoint_form_page(form: TouchpointForm, touchpoint: Touchpoint | None):
    return render_form("journey/touchpoint_form.html", form, touchpoint=touchpoint, channels=USUAL_CHANNELS)


def _page_of(touchpoint: Touchpoint) -> str:
    return url_for(".touchpoint", key=touchpoint.key)


@bp.post("/journey/touchpoints/<key>/move")
@requires("steering")
def move_touchpoint(key: str):
    touchpoint = _touchpoint(key)
    services.move_touchpoint(g.organisation, touchpoint, -1 if request.form.get("direction") == "earlier" else 1)
    return redirect(url_for(".index", _anchor=f"stage-{touchpoint.stage_id}"))


@bp.post("/journey/touchpoints/<key>/remove")
@requires("steering")
def remove_touchpoint(key: str):
    touchpoint = _touchpoint(key)
    name = touchpoint.name
    services.remove_touchpoint(g.organisation, touchpoint)
    flash(_("Touchpoint %(name)s removed, with its scores.", name=name), "success")
    return redirect(url_for(".index"))


@bp.route("/journey/touchpoints/<key>", methods=["GET", "POST"])
@requires(SCORE_TOUCHPOINT, reads="viewer")
def touchpoint(key: str):
    touchpoint = _touchpoint(key)
    form = ScoreForm()
    score = submit(form, lambda: services.add_score(g.organisation, touchpoint, **form.values(),
                                                    recorded_by=current_user.name or current_user.email))
    if score:
        flash(_("Score of %(date)s recorded: the gap is %(gap)s.", date=format_day(score.scored_on),
                gap=format_gap(score.gap)), "success")
        return redirect(url_for(".touchpoint", key=touchpoint.key))
    sections = [(template, context(touchpoint)) for _, template, context in _touchpoint_sections]
    return render_form("journey/touchpoint.html", form, touchpoint=touchpoint,
                       reading=reading.touchpoint_reading(touchpoint, today()), sections=sections,
                       scores=reading.score_page(touchpoint, page_number()))


@bp.post("/journey/touchpoints/<key>/scores/<int:score_id>/remove")
@requires("steering")
def remove_score(key: str, score_id: int):
    touchpoint = _touchpoint(key)
    score = get_in_organisation(g.organisation, TouchpointScore, id=score_id)
    if score.touchpoint_id != touchpoint.id:
        raise NotInOrganisation(_("No such score of this touchpoint."))
    services.remove_score(g.organisation, score)
    flash(_("Score removed."), "success")
    return redirect(url_for(".touchpoint", key=touchpoint.key))


# -- what other pages show of the journey --------------------------------------------------------------

@team_page_section("journey/_team_touchpoints.html", place=10)
def team_touchpoints_section(team) -> dict:
    return {"touchpoints": reading.team_touchpoints(team, today())}


@readiness_evidence
def expectation_evidence(organisation) -> Evidence:
    scored, total = reading.expectation_coverage(organisation)
    return Evidence("know_experience", _("Touchpoints with an expectation score"),
                    calc.share(scored, total),
                    _("%(scored)s of %(total)s touchpoints", scored=scored, total=total), "journey.index")
