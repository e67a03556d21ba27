"""The initiative page's governance parts: status history, milestones, dependencies, realised benefits."""

from flask import abort, flash, g, redirect, url_for

from cxroadmap.access import can, requires
from cxroadmap.benefits import services as benefits
from cxroadmap.governance.forms import (
    ActualForm,
    CompleteMilestoneForm,
    DependencyForm,
    MilestoneForm,
    MoveMilestoneForm,
    StatusUpdateForm,
)
from cxroadmap.i18n import _
from cxroadmap.initiatives import tracking
from cxroadmap.initiatives.models import Initiative
from cxroadmap.initiatives.services import all_initiatives, initiative_by_ref
from cxroadmap.initiatives.views import initiative_page_section, may_post_update
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint, submit_and_tell

# The initiative page's tracking forms post here; the URLs sit under the initiative's own.
bp = organisation_blueprint("tracking", __name__)


@initiative_page_section("governance/_history.html", place=5)
def history_section(initiative: Initiative) -> dict:
    form = StatusUpdateForm(obj=initiative) if may_post_update(initiative) else None
    if form is not None:
        form.note.data = ""
    return {"updates": tracking.history(initiative, limit=20), "form": form}


@initiative_page_section("governance/_milestones.html", place=20)
def milestones_section(initiative: Initiative) -> dict:
    return {"milestones": tracking.milestones_of([initiative])[initiative.id], "on": today(),
            "form": MilestoneForm() if can("steering") else None}


@initiative_page_section("governance/_dependencies.html", place=30)
def dependencies_section(initiative: Initiative) -> dict:
    links = [d for d in tracking.dependencies(g.organisation)
             if initiative.id in (d.initiative_id, d.depends_on_id)]
    others = [i for i in all_initiatives(g.organisation, include_archived=False) if i.id != initiative.id]
    return {"waits_for": [d for d in links if d.initiative_id == initiative.id],
            "needed_by": [d for d in links if d.depends_on_id == initiative.id],
            "form": DependencyForm(others) if can("steering") and others else None}


@initiative_page_section("governance/_realised.html", place=15)
def realised_section(initiative: Initiative) -> dict:
    estimates = benefits.benefits_by_initiative([initiative])[initiative.id]
    actuals = benefits.actuals_of(estimates)
    return {"estimates": estimates, "actuals": actuals, "by_year": benefits.initiative_estimated_vs_realised(
                initiative, estimates, actuals, today()),
            "form": ActualForm(estimates) if can("steering") and estimates else None}


def _back(initiative: Initiative, anchor: str):
    return redirect(url_for("initiatives.show", ref=initiative.ref, _anchor=anchor))


@bp.post("/initiatives/<ref>/updates")
@requires("contributor")
def post_update(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    if not may_post_update(initiative):
        abort(403)
    form = StatusUpdateForm()
    submit_and_tell(form, lambda: tracking.post_status_update(
        g.organisation, initiative, status=form.status.data, health=form.health.data, progress=form.progress.data,
        note=form.note.data, expected_version=form.version.data), _("Update on %(ref)s posted.", ref=initiative.ref))
    return _back(initiative, "history")


@bp.post("/initiatives/<ref>/milestones")
@requires("steering")
def add_milestone(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    form = MilestoneForm()
    submit_and_tell(form, lambda: tracking.add_milestone(initiative, form.title.data, form.due_on.data),
                    _("Milestone added."))
    return _back(initiative, "milestones")


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
    submit_and_tell(form, lambda: change(milestone), done)
    return _back(initiative, "milestones")


@bp.post("/initiatives/<ref>/dependencies")
@requires("steering")
def add_dependency(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    others = [i for i in all_initiatives(g.organisation, include_archived=False) if i.id != initiative.id]
    form = DependencyForm(others)
    chosen = {i.id: i for i in others}
    submit_and_tell(form, lambda: tracking.add_dependency(g.organisation, initiative, chosen[form.depends_on.data]),
                    _("Dependency added."))
    return _back(initiative, "dependencies")


@bp.post("/initiatives/<ref>/dependencies/<int:dependency_id>/remove")
@requires("steering")
def remove_dependency(ref: str, dependency_id: int):
    initiative = initiative_by_ref(g.organisation, ref)
    tracking.remove_dependency(tracking.dependency_of(initiative, dependency_id))
    flash(_("Dependency removed."), "success")
    return _back(initiative, "dependencies")


@bp.post("/initiatives/<ref>/actuals")
@requires("steering")
def record_actual(ref: str):
    initiative = initiative_by_ref(g.organisation, ref)
    estimates = {b.id: b for b in benefits.benefits_by_initiative([initiative])[initiative.id]}
    form = ActualForm(list(estimates.values()))
    submit_and_tell(form, lambda: benefits.record_actual(estimates[form.benefit.data], form.month.data,
                                                         form.amount.data, form.note.data),
                    _("Realised amount recorded."))
    return _back(initiative, "realised")


