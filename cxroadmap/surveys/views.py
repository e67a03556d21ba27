"""Survey pages of the organisation (list, make, change, the survey with its results, QR codes, live figures)."""

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import requires
from cxroadmap.audit.services import record
from cxroadmap.charts.svg import svg_chart
from cxroadmap.emails import masked
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _, current_language, format_count, format_moment, ngettext
from cxroadmap.jobs.models import Job
from cxroadmap.journey.views import journey_page_section, touchpoint_page_section
from cxroadmap.measures.forms import AnswersForm
from cxroadmap.measures.services import all_kpis, touchpoint_choices
from cxroadmap.measures.views import kpi_page_section
from cxroadmap.statistics.labels import TOO_FEW_ANSWERS, VERDICTS, refusal_text
from cxroadmap.surveys import answer_upload, privacy, services, themes
from cxroadmap.surveys import results as survey_results
from cxroadmap.surveys.chart import distribution, message
from cxroadmap.surveys.drivers import chart_of, organisation_fix_first, survey_drivers
from cxroadmap.surveys.forms import OriginsForm, PersonForm, PrivacyForm, SurveyForm, ThemeForm
from cxroadmap.surveys.invitations.page import invitations_section
from cxroadmap.surveys.invitations.services import quiet_days
from cxroadmap.surveys.kinds import PERIODS
from cxroadmap.surveys.models import Survey
from cxroadmap.surveys.policy import CHANGE_SURVEY, MANAGE_PRIVACY
from cxroadmap.surveys.qr import qr_png, qr_svg
from cxroadmap.surveys.voices import survey_voices
from cxroadmap.timeutil import today
from cxroadmap.web import (
    chart_width,
    file_response,
    organisation_blueprint,
    page_number,
    reads_upload,
    refused_form,
    render_form,
    saved,
    start_writing,
    submit,
    submit_or_keep,
)

bp = organisation_blueprint("surveys", __name__)


def public_link(survey) -> str:
    return url_for("feedback.answer", code=survey.code, _external=True)


def snippet_tag(survey) -> str:
    """What a site pastes where the survey should show."""
    return f'<script src="{url_for("feedback.snippet", code=survey.code, _external=True)}" async></script>'


def _survey_form(survey: Survey | None, save, message):
    """The form of a new survey (survey None) or of a survey's settings and questions: saved by save(form) and said
    by message(survey), then the survey's page."""
    kpis = [k for k in all_kpis(g.organisation) if k.is_survey]
    form = SurveyForm(touchpoint_choices(g.organisation), kpis, obj=survey)
    if survey is not None and request.method == "GET":
        form.fill_from(survey)
    return saved(form, lambda: save(form), message, lambda survey: url_for(".show", survey_id=survey.id)) \
        or render_form("surveys/form.html", form, survey=survey, periods=PERIODS)


@bp.get("/surveys")
@requires("viewer")
def index():
    return render_template("surveys/index.html", surveys=services.all_surveys(g.organisation),
                           counts=services.answer_counts(g.organisation))


@bp.route("/surveys/new", methods=["GET", "POST"])
@requires(CHANGE_SURVEY)
def new():
    return _survey_form(None, lambda form: services.create_survey(g.organisation, **form.values()),
                        lambda survey: _("%(title)s made, as a draft. Check its questions, then put it live.",
                                         title=survey.title))


@bp.get("/surveys/<int:survey_id>")
@requires("viewer")
def show(survey_id: int):
    return show_page(services.survey_in(g.organisation, survey_id))


def _origins_form(survey) -> OriginsForm:
    return OriginsForm(formdata=None, data={"origins": "\n".join(survey.origins), "version": survey.version})


def _answers_form() -> AnswersForm:
    form = AnswersForm(formdata=None)
    form.taken_on.data = today()
    return form


def show_page(survey, status: int = 200, answers_form: AnswersForm | None = None, **refused_forms):
    """The survey's page; a form of its invitations refused comes back in refused_forms, the answers' upload
    refused in answers_form, errors beside fields (the sites' form, refused, from the request)."""
    results = survey_results.survey_results(survey, today())
    rated = services.rated_touchpoints(g.organisation.id, survey.current)
    unhappy_only = request.args.get("unhappy") == "1"
    kept_themes = themes.all_themes(g.organisation)
    return render_template("surveys/show.html", survey=survey, results=results, link=public_link(survey),
                           rated=rated, min_answers=survey_results.MIN_ANSWERS,
                           drivers=survey_drivers(survey, today()), drivers_refusal=refusal_text,
                           verdicts=VERDICTS, too_few_label=TOO_FEW_ANSWERS,
                           voices=survey_voices(survey, today(), themes.as_matched(kept_themes)),
                           heard=themes.themes_heard(g.organisation, [survey], today(), unhappy_only),
                           unhappy_rule=themes.unhappy_rule(survey.measure),
                           invitations=invitations_section(survey, **refused_forms),
                           snippet=snippet_tag(survey), answers_form=answers_form or _answers_form(),
                           upload_limits=answer_upload.limits(),
                           origins_form=refused_form(OriginsForm, lambda: _origins_form(survey))), status


@bp.post("/surveys/<int:survey_id>/origins")
@requires(CHANGE_SURVEY)
def set_origins(survey_id: int):
    """The sites allowed to show the survey through its snippet; refused lines come back beside the field."""
    survey = services.survey_in(g.organisation, survey_id)
    form = OriginsForm()
    if not submit_or_keep(form, lambda: services.set_origins(survey, form.origins.data, form.version.data),
                          _("The sites that may show %(title)s are saved.", title=survey.title)):
        return show_page(survey, 422)
    return redirect(url_for(".show", survey_id=survey.id, _anchor="snippet-title"))


@bp.post("/surveys/<int:survey_id>/answers")
@requires(CHANGE_SURVEY)
@reads_upload
def upload_answers(survey_id: int):
    """Answers gathered elsewhere, from a CSV file, stored in this survey. The file is read as a stream and every
    line checked before the request writes: any refused line refuses the file, each named beside the field. A large
    file, once checked, is stored by the background work (its job's page follows it)."""
    survey = services.survey_in(g.organisation, survey_id)
    form = AnswersForm()

    def action():
        stream, day = form.answers.data.stream, form.taken_on.data
        if answer_upload.in_background(stream):
            return answer_upload.queue_import(g.organisation, survey, stream, day, form.answers.data.filename or "",
                                              current_user.id, before_writing=start_writing)
        return answer_upload.import_now(g.organisation, survey, stream, day, before_writing=start_writing)

    done = submit(form, action)
    if done is None:
        return show_page(survey, 422, answers_form=form)
    if isinstance(done, Job):
        return redirect(url_for("jobs.show", job_id=done.id))
    flash(answer_upload.stored_text(done), "success")
    return redirect(url_for(".show", survey_id=survey.id, _anchor="upload-title"))


@bp.route("/surveys/<int:survey_id>/edit", methods=["GET", "POST"])
@requires(CHANGE_SURVEY)
def edit(survey_id: int):
    survey = services.survey_in(g.organisation, survey_id)
    return _survey_form(survey, lambda form: services.update_survey(g.organisation, survey, **form.values(),
                                                                    expected_version=form.version.data),
                        lambda survey: _("%(title)s saved.", title=survey.title))


@bp.post("/surveys/<int:survey_id>/state")
@requires(CHANGE_SURVEY)
def set_state(survey_id: int):
    survey = services.survey_in(g.organisation, survey_id)
    try:
        services.set_state(survey, request.form.get("state", ""))
    except DomainError as refusal:
        flash(" ".join(str(message) for message in refusal.errors.values()), "danger")
    else:
        flash(_("%(title)s is now %(state)s.", title=survey.title, state=survey.state_label.lower()), "success")
    return redirect(url_for(".show", survey_id=survey.id))


@bp.get("/surveys/<int:survey_id>/qr.svg")
@requires("viewer")
def qr_code_svg(survey_id: int):
    survey = services.survey_in(g.organisation, survey_id)
    return file_response(qr_svg(public_link(survey)), "image/svg+xml", f"survey-{survey.code}.svg")


@bp.get("/surveys/<int:survey_id>/qr.png")
@requires("viewer")
def qr_code_png(survey_id: int):
    survey = services.survey_in(g.organisation, survey_id)
    return file_response(qr_png(public_link(survey)), "image/png", f"survey-{survey.code}.png")


@bp.get("/surveys/<int:survey_id>/distribution.svg")
@requires("viewer")
def distribution_chart(survey_id: int):
    survey = services.survey_in(g.organisation, survey_id)
    figures = survey_results.figures(survey, survey_results.counts_of(survey))
    drawing = distribution(survey.measure, figures.scale, figures.counts, chart_width(560))
    return svg_chart(drawing, _("How the answers are spread over the scale"))


@bp.get("/surveys/<int:survey_id>/drivers.svg")
@requires("viewer")
def drivers_chart(survey_id: int):
    """The importance–performance chart of the survey's driver analysis (or why there is none to show)."""
    survey = services.survey_in(g.organisation, survey_id)
    found = survey_drivers(survey, today())
    if found is None or not found.analysis.shown:
        reason = refusal_text(found.analysis) if found else _("This survey rates no touchpoints.")
        return svg_chart(message(reason, chart_width(720)), _("No importance–performance chart"))
    drawing, title, description = chart_of(found, chart_width(720))
    return svg_chart(drawing, title, description)


@bp.get("/surveys/<int:survey_id>/live")
@requires("viewer")
def live(survey_id: int):
    """The figures the survey page refreshes while it is open (short polling: plain GETs pass every proxy)."""
    survey = services.survey_in(g.organisation, survey_id)
    results = survey_results.survey_results(survey, today())
    period = results.period
    response = jsonify({
        "n": format_count(period.n), "today": format_count(results.today),
        "score": _score_text(period.interval), "interval": _interval_text(period.interval, period.too_few),
        "overall_n": format_count(results.overall.n),
        "latest": format_moment(results.latest_at) if results.latest_at else "",
        "comments": [{"score": a.score, "comment": a.comment, "at": format_moment(a.answered_at)}
                     for a in results.comments],
    })
    response.headers["Cache-Control"] = "no-store"
    return response


def _score_text(interval) -> str:
    return "—" if interval is None else str(interval.value)


def _interval_text(interval, too_few: bool) -> str:
    if interval is None:
        return _("No answers yet.")
    if too_few:
        return _("Too few answers to conclude (fewer than %(count)s).", count=survey_results.MIN_ANSWERS)
    return _("95 %% interval %(low)s to %(high)s", low=interval.low, high=interval.high)


# -- comment themes, and searching the comments --------------------------------------------------------------

@bp.route("/surveys/themes", methods=["GET", "POST"])
@requires(CHANGE_SURVEY, reads="viewer")
def theme_list():
    """The organisation's comment themes, and a theme added."""
    form = ThemeForm(g.organisation)
    theme = submit(form, lambda: themes.save_theme(g.organisation, None, **form.values()))
    if theme:
        flash(_("Theme %(name)s added.", name=theme.name_in(current_language())), "success")
        return redirect(url_for(".theme_list"))
    return render_form("surveys/themes.html", form, themes=themes.all_themes(g.organisation))


@bp.route("/surveys/themes/<int:theme_id>/edit", methods=["GET", "POST"])
@requires(CHANGE_SURVEY)
def edit_theme(theme_id: int):
    theme = themes.theme_in(g.organisation, theme_id)
    form = ThemeForm(g.organisation, theme)
    if submit(form, lambda: themes.save_theme(g.organisation, theme, **form.values())):
        flash(_("Theme %(name)s saved.", name=theme.name_in(current_language())), "success")
        return redirect(url_for(".theme_list"))
    return render_form("surveys/theme_form.html", form, theme=theme)


@bp.post("/surveys/themes/<int:theme_id>/remove")
@requires(CHANGE_SURVEY)
def remove_theme(theme_id: int):
    theme = themes.theme_in(g.organisation, theme_id)
    name = theme.name_in(current_language())
    themes.remove_theme(g.organisation, theme)
    flash(_("Theme %(name)s removed.", name=name), "success")
    return redirect(url_for(".theme_list"))


@bp.post("/surveys/<int:survey_id>/themes/from-phrase")
@requires(CHANGE_SURVEY)
def theme_from_phrase(survey_id: int):
    """A phrase customers repeat, made a theme at one click (from the survey page, back to it)."""
    survey = services.survey_in(g.organisation, survey_id)
    try:
        theme = themes.theme_from_phrase(g.organisation, request.form.get("phrase", ""))
    except DomainError as refusal:
        flash(" ".join(dict.fromkeys(str(message) for message in refusal.errors.values())), "danger")
    else:
        flash(_("Theme %(name)s added; change its names and keywords under Themes.", name=theme.name_en),
              "success")
    return redirect(url_for(".show", survey_id=survey.id, _anchor="themes-title"))


@bp.get("/surveys/<int:survey_id>/comments")
@requires("viewer")
def search_comments(survey_id: int):
    """The survey's comments holding the words searched for, the latest first, a page at a time."""
    survey = services.survey_in(g.organisation, survey_id)
    text = " ".join(request.args.get("q", "").split())[:100]
    found = themes.search_comments(g.organisation, survey, text, page_number()) if text else None
    return render_template("surveys/comments.html", survey=survey, text=text, found=found)


# -- privacy: retention, and one person's answers found, exported, erased ---------------------------------

def _privacy_page(retention_form: PrivacyForm, person_form: PersonForm, found=None, status: int = 200):
    months, first_kept = privacy.retention_window(g.organisation, today())
    return render_template("surveys/privacy.html", retention_form=retention_form, person_form=person_form,
                           found=found, months=months, first_kept=first_kept,
                           oldest=privacy.oldest_answer(g.organisation)), status


@bp.route("/surveys/privacy", methods=["GET", "POST"])
@requires(MANAGE_PRIVACY)
def privacy_settings():
    form = PrivacyForm()
    if request.method == "GET":
        form.retention_months.data = privacy.retention_months(g.organisation.id)
        form.quiet_days.data = quiet_days(g.organisation.id)
    if submit(form, lambda: privacy.set_retention(g.organisation, form.retention_months.data, form.quiet_days.data)):
        flash(_("Answers are now kept for %(months)s months.", months=form.retention_months.data), "success")
        return redirect(url_for(".privacy_settings"))
    return _privacy_page(form, PersonForm(formdata=None), status=422 if form.errors else 200)


@bp.post("/surveys/privacy/person")
@requires(MANAGE_PRIVACY)
def find_person():
    """Find (and with action=export or erase, export or erase) the answers carrying an email address."""
    form = PersonForm()
    retention_form = PrivacyForm(formdata=None, data={"retention_months": privacy.retention_months(g.organisation.id),
                                                      "quiet_days": quiet_days(g.organisation.id)})
    if not form.validate_on_submit():
        return _privacy_page(retention_form, form, status=422)
    email = form.email.data
    action = request.form.get("action")
    if action == "export":
        return file_response(privacy.export_person(g.organisation, email).encode(), "application/json",
                             "answers.json", inline=False)
    if action == "erase":
        erased = privacy.erase_person(g.organisation, email)
        flash(ngettext("Erased %(num)d answer.", "Erased %(num)d answers.", erased), "success")
        return redirect(url_for(".privacy_settings"))
    found = privacy.answers_of_person(g.organisation, email)
    record("answers_looked_up", g.organisation, object_type="Survey answers",
           object_label=masked(email), changes={"found": len(found)})
    return _privacy_page(retention_form, form, found=found)


@touchpoint_page_section("surveys/_touchpoint_surveys.html", place=25)
def touchpoint_surveys_section(touchpoint) -> dict:
    """The touchpoint page hears what customers say there: its surveys, answers today, the latest comments, and
    the organisation's themes in its surveys' comments (all, or the unhappy customers' only)."""
    listening = survey_results.touchpoint_listening(g.organisation.id, touchpoint.id, today())
    unhappy_only = request.args.get("unhappy") == "1"
    return {"listening": listening, "touchpoint": touchpoint,
            "heard": themes.themes_heard(g.organisation, listening.surveys, today(), unhappy_only)}


@journey_page_section("surveys/_journey_fix_first.html", place=10)
def journey_fix_first_section(organisation) -> dict | None:
    """The journey page names the touchpoints the surveys' driver analyses say to fix first, and marks their cards."""
    fix_first = organisation_fix_first(organisation, today())
    if not fix_first:
        return None
    return {"fix_first": fix_first, "marks": {row.key: _("Fix first") for row in fix_first}}


@kpi_page_section("surveys/_kpi_surveys.html", place=10)
def kpi_surveys_section(kpi) -> dict | None:
    """The KPI page reads its survey-fed score honestly: for each survey feeding it, this period's score with its
    interval and n, and whether last period's change is real; and hears it: answers today, the latest comments."""
    feeding = services.surveys_feeding(g.organisation, kpi)
    if not feeding:
        return None
    on = today()
    return {"fed_by": [(survey, survey_results.survey_results(survey, on, comments=2)) for survey in feeding],
            "verdicts": VERDICTS, "too_few_label": TOO_FEW_ANSWERS, "min_answers": survey_results.MIN_ANSWERS}
