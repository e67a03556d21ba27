"""The initiative page's governance parts: status history, milestones, dependencies, realised benefits."""

from flask import current_app, flash, g, redirect

from cxroadmap.access import can, may, require, requires
from cxroadmap.benefits import services as benefits
from cxroadmap.governance.forms import (
    ActualForm,
    CompleteMilestoneForm,
    DependencyForm,
    MilestoneForm,
    MoveMilestoneForm,
    StatusUpdateForm,
)
from cxroadmap.i18n import _, format_day
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.policy import POST_UPDATE
from cxroadmap.initiatives.services import initiative_by_ref, initiatives_by_refs
from cxroadmap.initiatives.views import changed_on_page, initiative_page_section, render_initiative_page, section_url
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, refused_form, submit_or_keep

# The initiative page's tracking forms post here; the URLs sit under the initiative's own.
bp = organisation_blueprint("tracking", __name__)


@initiative_page_section("governance/_history.html", place=5)
def history_section(initiative: Initiative) -> dict:
    form = refused_form(StatusUpdateForm, lambda: _fresh_update_form(initiative)) if may(POST_UPDATE, initiative) \
        else None
    return {"updates": tracking.history(initiative, limit=20), "form": form}


def _fresh_update_form(initiative: Initiative) -> StatusUpdateForm:
    form = StatusUpdateForm(obj=initiative, formdata=None)
    form.note.data = ""
    return form


@initiative_page_section("governance/_milestones.html", place=20)
def milestones_section(initiative: Initiative) -> dict:
    return {"milestones": tracking.milestones_of([initiative])[initiative.id], "on": today(),
            "form": refused_form(MilestoneForm, lambda: MilestoneForm(formdata=None)) if can("steering") else None,
            "moves": _refused_moves()}


def _refused_moves() -> dict:
    """milestone id -> its move or done form, refused in this request: shown again in that milestone's row."""
    refused = g.get("refused_form")
    if refused and isinstance(refused[0], MoveMilestoneForm | CompleteMilestoneForm):
        return {refused[1]: refused[0]}
    return {}


@initiative_page_section("governance/_dependencies.html", place=30)
def dependencies_section(initiative: Initiative) -> dict:
    links = tracking.dependencies_of(initiative)
    return {"waits_for": [d for d in links if d.initiative_id == initiative.id],
            "needed_by": [d for d in links if d.depends_on_id == initiative.id],
            "form": refused_form(DependencyForm, lambda: DependencyForm(_lookup, formdata=None))
            if can("steering") else None}


def _lookup(refs: list[str]) -> dict:
    return initiatives_by_refs(g.organisation, refs)


@initiative_page_section("governance/_realised.html", place=15)
def realised_section(initiative: Initiative) -> dict:
    estimates = benefits.benefits_by_initiative([initiative])[initiative.id]
    actuals = benefits.actuals_of(estimates)
    return {"estimates": estimates, "actuals": actuals, "by_year": benefits.initiative_estimated_vs_realised(
                initiative, estimates, actuals, today(), current_app.config["BENEFIT_HORIZON_YEARS"]),
            "form": refused_form(ActualForm, lambda: ActualForm(estimates, formdata=None))
            if can("steering") and estimates else None}


def _back(initiative: Initiative, anchor: str, saved: bool = True):
    """Back to the page after a small form: a redirect when saved, else the page again with the refused form."""
    if not saved:
        return render_initiative_page(initiative, 422)
    return redirect(section_url(initiative, anchor))


def _warn_after_due(initiative: Initiative, due_on) -> None:
    """A milestone beyond its initiative's due date is kept (it tells that the initiative will be late) but said."""
    if due_on is not None and initiative.due_date is not None and due_on > initiative.due_date:
        flash(_("The milestone is due %(date)s, after %(ref)s itself is due (%(due)s): move the initiative's due "
                "date too if it will be late.", date=format_day(due_on), ref=initiative.ref,
                due=format_day(initiative.due_date)), "warning")


@bp.post("/initiatives/<ref>/updates")
@requires(POST_UPDATE)
def post_update(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    require(POST_UPDATE, initiative)
    form = StatusUpdateForm()
    saved = submit_or_keep(form, lambda: tracking.post_status_update(
        g.organisation, initiative, status=form.status.data, health=form.health.data, progress=form.progress.data,
        note=form.note.data, expected_version=form.version.data), _("Update on %(ref)s posted.", ref=initiative.ref))
    return _back(initiative, "history", saved)


@bp.post("/initiatives/<ref>/milestones")
@requires("steering")
def add_milestone(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = MilestoneForm()
    saved = submit_or_keep(form, lambda: tracking.add_milestone(initiative, form.title.data, form.due_on.data),
                            _("Milestone added."))
    _warn_after_due(initiative, form.due_on.data if saved else None)
    return _back(initiative, "milestones", saved)


@bp.post("/initiatives/<ref>/milestones/<int:milestone_id>/move")
@requires("steering")
def move_milestone(ref: str, milestone_id: int):
    form = MoveMilestoneForm()
    return _change_milestone(ref, milestone_id, form, lambda milestone: tracking.move_milestone(
        milestone, form.due_on.data), _("Milestone moved."))


@bp.post("/initiatives/<ref>/milestones/<int:milestone_id>/done")
@requires("steering")
def complete_milestone(ref: str, milestone_id: int):
    form = CompleteMilestoneForm()
    return _change_milestone(ref, milestone_id, form, lambda milestone: tracking.complete_milestone(
        milestone, form.done_on.data), _("Milestone marked done.") if form.done_on.data
        else _("Milestone marked not done."))


def _change_milestone(ref: str, milestone_id: int, form, change, done: str):
    initiative = initiative_by_ref(g.organisation, ref)
    milestone = tracking.milestone_of(initiative, milestone_id)
    saved = submit_or_keep(form, lambda: change(milestone), done, key=milestone.id)
    if isinstance(form, MoveMilestoneForm):
        _warn_after_due(initiative, form.due_on.data if saved else None)
    return _back(initiative, "milestones", saved)


@bp.post("/initiatives/<ref>/dependencies")
@requires("steering")
def add_dependency(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = DependencyForm(_lookup)
    saved = submit_or_keep(form, lambda: tracking.add_dependency(g.organisation, initiative, form.depends_on.data),
                            _("Dependency added."))
    return _back(initiative, "dependencies", saved)


@bp.post("/initiatives/<ref>/dependencies/<int:dependency_id>/remove")
@requires("steering")
def remove_dependency(ref: str, dependency_id: int):
    return changed_on_page(ref, lambda initiative: tracking.remove_dependency(
        tracking.dependency_of(initiative, dependency_id)), _("Dependency removed."), "dependencies")


@bp.post("/initiatives/<ref>/actuals")
@requires("steering")
def record_actual(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    estimates = {b.id: b for b in benefits.benefits_by_initiative([initiative])[initiative.id]}
    form = ActualForm(list(estimates.values()))
    saved = submit_or_keep(form, lambda: benefits.record_actual(estimates[form.benefit.data], form.month.data,
                                                                 form.amount.data, form.note.data),
                            _("Realised amount recorded."))
    return _back(initiative, "realised", saved)


