"""The readiness page: the three questions, their latest scores and history, and the form to score one."""

from flask import flash, g, redirect, request, url_for

from cxroadmap.access import requires
from cxroadmap.i18n import _
from cxroadmap.readiness import services
from cxroadmap.readiness.evidence import evidence_by_question
from cxroadmap.readiness.forms import ReadinessAssessmentForm
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = organisation_blueprint("readiness", __name__)


@bp.route("/readiness", methods=["GET", "POST"])
@requires("steering", reads="viewer")
def index():
    form = ReadinessAssessmentForm()
    if request.method == "GET" and request.args.get("question") in QUESTIONS:
        form.question.data = request.args["question"]
    assessment = submit(form, lambda: services.assess_readiness(g.organisation, **form.values()))
    if assessment:
        flash(_("Scored %(score)s of 4: %(question)s", score=assessment.score, question=assessment.question_label),
              "success")
        return redirect(url_for(".index"))
    return render_form("readiness/index.html", form, history=services.readiness_history(g.organisation),
                       evidence=evidence_by_question(g.organisation))
