"""The customer's answer page behind a survey's public link (/f/<code>): no account, no cookie, no script needed,
in English or Dutch; floods are refused kindly and store nothing. The same page, compact (`?embed=1`), fills the
frame the survey's snippet (/f/<code>/snippet.js) puts on the sites the survey allows: it needs no cookie either
(the signed moment the page was shown stands in for a session), so browsers that refuse third-party cookies show
and take it alike."""

from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    redirect,
    render_template,
    request,
    send_from_directory,
    url_for,
)

from cxroadmap.access import public
from cxroadmap.errors import DomainError
from cxroadmap.extensions import csrf, db, limiter
from cxroadmap.i18n import _, in_language
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys import answering
from cxroadmap.surveys.embedding import allow_framing
from cxroadmap.surveys.forms import given_from
from cxroadmap.surveys.lane import COUNTED
from cxroadmap.surveys.privacy import retention_months
from cxroadmap.surveys.services import rated_touchpoints

bp = Blueprint("feedback", __name__, url_prefix="/f")



def _language() -> str:
    return answering.respondent_language(request.values.get("lang"), request.accept_languages)


def _limit() -> str:
    return answering.answer_limit(current_app.config)


def _counted_by_lane() -> bool:
    """Whether the answer lane counted this request against the limit already (it then left the answer here)."""
    return bool(request.environ.get(COUNTED))


def _embedded() -> bool:
    """Whether the page fills the snippet's frame (compact, and every link and form keeps it so)."""
    return request.values.get("embed") == "1"


def _shown(template: str, status: int = 200, **context):
    """A customer's page in their language, compact inside the snippet's frame."""
    return render_template(template, embed=_embedded(), **context), status


def _framed(response, code: str | None):
    """The response with the frame-ancestors of the survey behind code (nobody's for an unknown code)."""
    survey = answering.live_survey(code) if code else None
    return allow_framing(make_response(response), survey)


def _too_many(_limit_hit):
    with in_language(_language()):
        page = _shown("surveys/refused.html", 429, language=_language(), reason=_(
            "Many answers came from your network in a short time, so we paused taking more. Please try again in a "
            "few minutes."))
        return _framed(page, (request.view_args or {}).get("code"))


def _refused(reason: str, language: str, status: int = 400):
    db.session.rollback()
    return _shown("surveys/refused.html", status, reason=reason, language=language)


@bp.route("/<code>", methods=["GET", "POST"])
@public
@csrf.exempt  # nobody is signed in here; the signed moment the page was shown ties the answer to this page
@limiter.limit(_limit, methods=["POST"], scope="survey-answer", on_breach=_too_many, exempt_when=_counted_by_lane)
def answer(code: str):
    """The answer page, and what it posts. An answer that is simply right is taken in front of the application
    (`lane.AnswerLane`); what comes here is shown the page, or its problems, or a kind refusal, or is taken the
    full way (a form the lane does not read, or an answer the database did not take there)."""
    survey = answering.live_survey(code)
    return allow_framing(make_response(_answer(code, survey)), survey)


def _answer(code: str, survey):
    language = _language()
    with in_language(language):
        if survey is None:
            return _shown("surveys/not_found.html", 404, language=language)
        if survey.state != "live":
            return _shown("surveys/closed.html", survey=survey, language=language)
        version = survey.current
        source = request.form if request.method == "POST" else request.args
        hidden = answering.hidden_fields(source)
        context = {"survey": survey, "version": version, "language": language, "hidden": hidden,
                   "rated": rated_touchpoints(survey.organisation_id, version),
                   "retention": retention_months(survey.organisation_id)}
        if request.method == "GET":
            return page(context, answering.shown_token(code), {}, None)
        refused, _answer_taken = take_posted(context, code, lambda given: answering.record_answer(
            survey, given, language, hidden))
        if refused is not None:
            return refused
        return redirect(url_for(".thanks", code=code, lang=language, embed="1" if _embedded() else None), code=303)


def flood_refusal(code: str, language: str):
    """The kind refusal of a posted answer page that a bot filled in, that is too old or came from elsewhere, or
    that was sent faster than anyone reads (`answering.flood_sign`); None when the answer may be taken."""
    sign = answering.flood_sign(request.form, code)
    if sign == "filled":
        return _refused(_("Your answer could not be taken: a field meant to stay empty was filled in. If you "
                          "are a person, please open the link again."), language)
    if sign == "stale":
        return _refused(_("This page was open too long or came from elsewhere. Please open the link again; "
                          "it takes a minute."), language)
    if sign == "quick":
        return _refused(_("That was faster than anyone can read the questions, so we did not store it. Please "
                          "go back and take a moment to answer."), language)
    return None


def given_and_problems(survey, version):
    """What the posted answer page holds, and what is wrong with it (every field at once)."""
    given, bad = given_from(request.form, version.rated)
    problems = answering.check_given(survey, version, given)
    for name in bad:
        problems.setdefault("ratings" if name.startswith("rating_") else name, _("Choose one of the options."))
    return given, problems


def take_posted(context: dict, code: str, store) -> tuple:
    """A posted answer page (a public or a personal link's): (the response that refuses it, None) — a flood's kind
    refusal, or the page again with every problem beside its field and nothing stored — or (None, what
    store(given) gave) when it was taken."""
    language = context["language"]
    refusal = flood_refusal(code, language)
    if refusal is not None:
        return refusal, None
    given, problems = given_and_problems(context["survey"], context["version"])
    if problems:
        return page(context, request.form.get("shown"), problems, given, status=422), None
    try:
        return None, store(given)
    except DomainError as refused:
        db.session.rollback()
        return page(context, request.form.get("shown"), refused.errors, given, status=422), None


def page(context: dict, shown: str, errors: dict, given, status: int = 200):
    """The answer page (for a public or a personal link: context says which)."""
    organisation = db.session.get_one(Organisation, context["survey"].organisation_id)
    return _shown("surveys/answer.html", status, shown=shown, errors=errors, given=given,
                  organisation_name=organisation.name, **context)


@bp.get("/<code>/thanks")
@public
def thanks(code: str):
    survey = answering.live_survey(code)
    language = _language()
    with in_language(language):
        if survey is None:
            page = _shown("surveys/not_found.html", 404, language=language)
        else:
            page = _shown("surveys/thanks.html", survey=survey, language=language)
    return allow_framing(make_response(page), survey)


@bp.get("/<code>/snippet.js")
@public
def snippet(code: str):
    """The script a site puts where the survey should show: the same few lines for every survey (it reads the
    survey's address from its own), cached by browsers and proxies, setting no cookie."""
    if answering.live_survey(code) is None:
        abort(404)
    response = send_from_directory(Path(__file__).parent / "static", "snippet.js", mimetype="text/javascript",
                                   max_age=86400)
    response.headers["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


ASSETS = {"answer.css": "text/css", "live.js": "text/javascript", "embed.js": "text/javascript"}


@bp.get("/static/<name>")
@public
def asset(name: str):
    """The answer page's stylesheet and the survey page's live script: small files of this area."""
    if name not in ASSETS:
        abort(404)
    return send_from_directory(Path(__file__).parent / "static", name, mimetype=ASSETS[name], max_age=3600)
