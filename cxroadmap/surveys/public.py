"""The customer's answer page behind a survey's public link (/f/<code>): no account, no cookie, no script needed,
in English or Dutch; floods are refused kindly and store nothing."""

from pathlib import Path

from flask import Blueprint, abort, current_app, redirect, render_template, request, send_from_directory, url_for

from cxroadmap.access import public
from cxroadmap.errors import DomainError
from cxroadmap.extensions import csrf, db, limiter
from cxroadmap.i18n import LANGUAGES, _, in_language, known
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys import answering
from cxroadmap.surveys.forms import given_from
from cxroadmap.surveys.privacy import retention_months
from cxroadmap.surveys.services import rated_touchpoints

bp = Blueprint("feedback", __name__, url_prefix="/f")

ANSWER_LIMIT = "20 per 10 minutes"
LONGEST_SECONDS = 24 * 3600


def _language() -> str:
    return known(request.values.get("lang")) or request.accept_languages.best_match(list(LANGUAGES)) or "en"


def _limit() -> str:
    return current_app.config.get("SURVEY_ANSWER_LIMIT_PER_ADDRESS", ANSWER_LIMIT)


def _too_many(_limit_hit):
    with in_language(_language()):
        return current_app.make_response((render_template(
            "surveys/refused.html", reason=_("Many answers came from your network in a short time, so we paused "
                                             "taking more. Please try again in a few minutes."),
            language=_language()), 429))


def _refused(reason: str, language: str, status: int = 400):
    db.session.rollback()
    return render_template("surveys/refused.html", reason=reason, language=language), status


@bp.route("/<code>", methods=["GET", "POST"])
@public
@csrf.exempt  # nobody is signed in here; the signed moment the page was shown ties the answer to this page
@limiter.limit(_limit, methods=["POST"], scope="survey-answer", on_breach=_too_many)
def answer(code: str):
    survey = answering.live_survey(code)
    language = _language()
    with in_language(language):
        if survey is None:
            return render_template("surveys/not_found.html", language=language), 404
        if survey.state != "live":
            return render_template("surveys/closed.html", survey=survey, language=language), 200
        version = survey.current
        source = request.form if request.method == "POST" else request.args
        hidden = answering.hidden_fields(source)
        context = {"survey": survey, "version": version, "language": language, "hidden": hidden,
                   "rated": rated_touchpoints(survey.organisation_id, version),
                   "retention": retention_months(survey.organisation_id)}
        if request.method == "GET":
            return _page(context, answering.shown_token(code), {}, None)
        refusal = flood_refusal(code, language)
        if refusal is not None:
            return refusal
        given, problems = given_and_problems(survey)
        if problems:
            return _page(context, request.form.get("shown"), problems, given, status=422)
        try:
            answering.record_answer(survey, given, language, hidden)
        except DomainError as refusal:
            db.session.rollback()
            return _page(context, request.form.get("shown"), refusal.errors, given, status=422)
        return redirect(url_for(".thanks", code=code, lang=language), code=303)


def flood_refusal(code: str, language: str):
    """The kind refusal of a posted answer page that a bot filled in, that is too old or came from elsewhere, or
    that was sent faster than anyone reads; None when the answer may be taken."""
    if request.form.get("website"):
        return _refused(_("Your answer could not be taken: a field meant to stay empty was filled in. If you "
                          "are a person, please open the link again."), language)
    taken = answering.seconds_taken(request.form.get("shown"), code)
    if taken is None or taken > LONGEST_SECONDS:
        return _refused(_("This page was open too long or came from elsewhere. Please open the link again; "
                          "it takes a minute."), language)
    if taken < answering.minimum_seconds():
        return _refused(_("That was faster than anyone can read the questions, so we did not store it. Please "
                          "go back and take a moment to answer."), language)
    return None


def given_and_problems(survey):
    """What the posted answer page holds, and what is wrong with it (every field at once)."""
    version = survey.current
    given, bad = given_from(request.form, version.rated)
    problems = answering.check_given(survey, version, given)
    for name in bad:
        problems.setdefault("ratings" if name.startswith("rating_") else name, _("Choose one of the options."))
    return given, problems


def page(context: dict, shown: str, errors: dict, given, status: int = 200):
    """The answer page (for a public or a personal link: context says which)."""
    return _page(context, shown, errors, given, status)


def _page(context: dict, shown: str, errors: dict, given, status: int = 200):
    organisation = db.session.get_one(Organisation, context["survey"].organisation_id)
    return render_template("surveys/answer.html", shown=shown, errors=errors, given=given,
                           organisation_name=organisation.name, **context), status


@bp.get("/<code>/thanks")
@public
def thanks(code: str):
    survey = answering.live_survey(code)
    language = _language()
    with in_language(language):
        if survey is None:
            return render_template("surveys/not_found.html", language=language), 404
        return render_template("surveys/thanks.html", survey=survey, language=language)


ASSETS = {"answer.css": "text/css", "live.js": "text/javascript"}


@bp.get("/static/<name>")
@public
def asset(name: str):
    """The answer page's stylesheet and the survey page's live script: small files of this area."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(Path(__file__).parent / "static", name, mimetype=ASSETS[name], max_age=3600)
