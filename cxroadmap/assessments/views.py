"""Assessment rounds for steering (open, watch, remind, withdraw, confirm), and the raters' own page."""

from flask import Blueprint, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import public, requires
from cxroadmap.assessments import links, services
from cxroadmap.assessments.forms import ActionForm, AnswerForm, ConfirmForm, OpenRoundForm, RaterForm
from cxroadmap.assessments.questionnaire import DIMENSIONS, VIEW_LEVELS, VIEWS, stage_options
from cxroadmap.assessments.results import round_results
from cxroadmap.audit.services import record_apart
from cxroadmap.charts import assessments as assessment_charts
from cxroadmap.charts.svg import svg_chart
from cxroadmap.coalition.services import coalition_members
from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db, limiter
from cxroadmap.i18n import LANGUAGES, _, format_day, in_language, known
from cxroadmap.maturity.views import maturity_page_section
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.timeutil import today
from cxroadmap.web import (
    CHART_TEXT,
    chart_width,
    organisation_blueprint,
    render_form,
    saved,
    submit,
    submit_and_tell,
)

bp = organisation_blueprint("assessments", __name__)
rater_bp = Blueprint("rater", __name__, url_prefix="/assess")

# The charts of a round's results page: name -> (drawing of the results, title).
CHARTS = {
    "distribution": (lambda results: assessment_charts.distribution(results.dimensions, chart_width(520),
                                                                    text=CHART_TEXT),
                     lambda: _("How the answers fall per dimension")),
    "disagreement": (lambda results: assessment_charts.disagreement(
        [*results.dimensions, *results.questions, *results.views], chart_width(520), text=CHART_TEXT),
                     lambda: _("Where the raters disagree")),
}


@maturity_page_section("assessments/_maturity_section.html")
def rounds_over_time(organisation) -> dict:
    """The rounds side by side, oldest first, for the maturity page."""
    return {"rounds": [(r, round_results(r)) for r in reversed(services.rounds(organisation))], "on": today()}


@bp.route("/assessments", methods=["GET", "POST"])
@requires("steering", reads="viewer")
def index():
    form = OpenRoundForm()
    members = coalition_members(g.organisation, active_only=True)
    form.member_ids.choices = [(m.id, f"{m.name} · {m.function}" if m.function else m.name) for m in members]
    if request.method == "GET" and not form.member_ids.data:
        form.member_ids.data = [m.id for m in members]
    opened_by = current_user.name or current_user.email
    done = saved(form, lambda: services.open_round(g.organisation, opened_by=opened_by, **form.values()),
                 lambda opened: _("Round opened with %(count)s raters. Send each their personal link.",
                                  count=len(opened.raters)),
                 lambda opened: url_for(".show", round_id=opened.id))
    if done:
        return done
    rounds = services.rounds(g.organisation)
    return render_form("assessments/index.html", form, rounds=rounds, on=today(),
                       results={r.id: round_results(r) for r in rounds})


@bp.get("/assessments/<int:round_id>")
@requires("viewer")
def show(round_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    results = round_results(assessment_round)
    confirm_form = ConfirmForm(formdata=None)
    if results.suggested_stage_key:
        confirm_form.stage.data = results.suggested_stage_key
    for question, score in results.suggested_scores.items():
        confirm_form[question].data = "" if score is None else str(score)
    return _show(assessment_round, results, confirm_form=confirm_form)


def _show(assessment_round, results, status: int = 200, **forms):
    forms.setdefault("rater_form", RaterForm(formdata=None))
    forms.setdefault("confirm_form", ConfirmForm(formdata=None))
    return render_template("assessments/show.html", round=assessment_round, results=results, on=today(),
                           action_form=ActionForm(), charts=list(CHARTS), **forms), status


@bp.post("/assessments/<int:round_id>/raters")
@requires("steering")
def add_rater(round_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    form = RaterForm()
    done = saved(form, lambda: services.add_rater(assessment_round, form.name.data, form.email.data,
                                                  form.function.data),
                 lambda rater: _("%(name)s added as a rater.", name=rater.name),
                 lambda rater: url_for(".link", round_id=round_id, rater_id=rater.id))
    if done:
        return done
    return _show(assessment_round, round_results(assessment_round), 422, rater_form=form)


@bp.get("/assessments/<int:round_id>/raters/<int:rater_id>/link")
@requires("steering")
def link(round_id: int, rater_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    rater = services.rater_in(assessment_round, rater_id)
    return render_template("assessments/link.html", round=assessment_round, rater=rater,
                           link=links.rater_link(rater), on=today(), action_form=ActionForm())


@bp.post("/assessments/<int:round_id>/raters/<int:rater_id>/reissue")
@requires("steering")
def reissue(round_id: int, rater_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    rater = services.rater_in(assessment_round, rater_id)
    if submit_and_tell(ActionForm(), lambda: services.reissue(assessment_round, rater),
                       _("New link made for %(name)s; the old one no longer works.", name=rater.name)):
        return redirect(url_for(".link", round_id=round_id, rater_id=rater_id))
    return redirect(url_for(".show", round_id=round_id))


@bp.post("/assessments/<int:round_id>/raters/<int:rater_id>/withdraw")
@requires("steering")
def withdraw(round_id: int, rater_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    rater = services.rater_in(assessment_round, rater_id)
    submit_and_tell(ActionForm(), lambda: services.withdraw(assessment_round, rater) or True,
                    _("The link of %(name)s is withdrawn; their answers no longer count.", name=rater.name))
    return redirect(url_for(".show", round_id=round_id))


@bp.post("/assessments/<int:round_id>/close")
@requires("steering")
def close(round_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    submit_and_tell(ActionForm(), lambda: services.close_round(assessment_round) or True,
                    _("The round is closed: the links no longer work."))
    return redirect(url_for(".show", round_id=round_id))


@bp.post("/assessments/<int:round_id>/confirm")
@requires("steering")
def confirm(round_id: int):
    assessment_round = services.round_in(g.organisation, round_id)
    results = round_results(assessment_round)
    form = ConfirmForm()
    done = submit(form, lambda: services.confirm(
        assessment_round, form.stage.data, form.scores(), form.reason.data, results.suggested_stage,
        results.suggested_scores, results.answered, confirmed_by=current_user.name) or True)
    if done:
        flash(_("Confirmed: the stage and readiness scores are in the history, dated %(date)s.",
                date=format_day(assessment_round.close_date)), "success")
        return redirect(url_for(".show", round_id=round_id))
    return _show(assessment_round, results, 422, confirm_form=form)


@bp.get("/assessments/<int:round_id>/charts/<figure>.svg")
@requires("viewer")
def chart(round_id: int, figure: str):
    if figure not in CHARTS:
        raise NotInOrganisation()
    results = round_results(services.round_in(g.organisation, round_id))
    if not results.shown:
        raise NotInOrganisation()
    draw, title = CHARTS[figure]
    return svg_chart(draw(results), title())


# -- the rater's page -------------------------------------------------------------------------------------

def _reader_language(rater) -> str:
    chosen = known(request.values.get("lang"))
    if chosen:
        return chosen
    if rater is not None and known(rater.language):
        return rater.language
    return request.accept_languages.best_match(list(LANGUAGES)) or "en"


def _link_not_valid():
    """One plain page for every link that does not work, whatever the reason; noted like a failed sign-in."""
    db.session.rollback()
    record_apart("assessment_link_refused", object_label=f"{request.method} /assess/…")
    with in_language(_reader_language(None)):
        return render_template("assessments/link_not_valid.html"), 404


def _link_failed(response) -> bool:
    return response.status_code == 404


@rater_bp.route("/<token>", methods=["GET", "POST"])
@public
@limiter.limit(lambda: current_app.config["ASSESS_LINK_LIMIT_PER_ADDRESS"], deduct_when=_link_failed,
               scope="assess-address")
def answer(token: str):
    rater = links.rater_by_token(token, today())
    if rater is None:
        return _link_not_valid()
    language = _reader_language(rater)
    with in_language(language):
        form = AnswerForm(data={**services.answers_of(rater), "lang": language,
                                "comment": rater.response.comment if rater.response else ""})
        saved = submit(form, lambda: services.save_answers(rater, form.answers(), form.comment.data, language))
        if saved:
            flash(_("Thank you. Your answers are saved; you can change them until the round closes."), "success")
            return redirect(url_for(".answer", token=token, lang=language))
        page = render_template("assessments/answer.html", form=form, rater=rater, round=rater.round,
                               organisation_name=rater.round.organisation.name, language=language, token=token,
                               DIMENSIONS=DIMENSIONS, VIEWS=VIEWS, VIEW_LEVELS=VIEW_LEVELS, QUESTIONS=QUESTIONS,
                               stage_options=stage_options)
    status = 422 if request.method == "POST" and (form.errors or form.form_errors) else 200
    return page, status
