"""The maturity page: the ladder, the stage history and the form to assess the stage."""

from flask import flash, g, redirect, url_for

from cxroadmap.access import requires
from cxroadmap.i18n import _
from cxroadmap.maturity import services
from cxroadmap.maturity.forms import StageAssessmentForm
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = organisation_blueprint("maturity", __name__)


@bp.route("/maturity", methods=["GET", "POST"])
@requires("steering", reads="viewer")
def index():
    form = StageAssessmentForm()
    assessment = submit(form, lambda: services.assess_stage(g.organisation, **form.values()))
    if assessment:
        flash(_("Stage assessed as %(stage)s.", stage=assessment.stage_label), "success")
        return redirect(url_for(".index"))
    history = services.stage_history(g.organisation)
    current = history[0] if history else None
    ladder = services.stage_ladder(current.stage if current else None, g.organisation.target_stage)
    return render_form("maturity/index.html", form, history=history, current=current, ladder=ladder)
