"""The maturity page: the ladder, the stage history and the form to assess the stage."""

from collections.abc import Callable

from flask import flash, g, redirect, url_for

from cxroadmap.access import requires
from cxroadmap.i18n import _
from cxroadmap.maturity import services
from cxroadmap.maturity.forms import StageAssessmentForm
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = organisation_blueprint("maturity", __name__)

# Areas above this one (assessment rounds) add their part of the maturity page here, so that this area
# never has to know them: (template, context function of the organisation).
_page_sections: list[tuple[str, Callable]] = []


def maturity_page_section(template: str):
    """Register fn(organisation) -> context as a section at the foot of the maturity page, drawn with template."""
    def register(fn):
        _page_sections.append((template, fn))
        return fn
    return register


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
    sections = [(template, context(g.organisation)) for template, context in _page_sections]
    return render_form("maturity/index.html", form, history=history, current=current, ladder=ladder,
                       sections=sections)
