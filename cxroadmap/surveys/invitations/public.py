"""A contact's personal link (/f/<code>/i/<token>): the survey's answer page in the contact's language, the
invitation's hidden fields kept with the answer, one answer per link (changed from the same link for 24 hours);
and the one-click unsubscribe page, which needs no account."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps

from flask import Blueprint, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cxroadmap.access import public
from cxroadmap.extensions import csrf, db, limiter
from cxroadmap.i18n import in_language, known
from cxroadmap.organisations.models import Organisation, hold_row
from cxroadmap.surveys import answering, settling, tally
from cxroadmap.surveys.answering import Given
from cxroadmap.surveys.invitations import services
from cxroadmap.surveys.invitations.models import SurveyInvitation
from cxroadmap.surveys.models import Survey, SurveyAnswer
from cxroadmap.surveys.privacy import retention_months
from cxroadmap.surveys.public import _limit, _too_many, page, take_posted
from cxroadmap.surveys.services import rated_touchpoints
from cxroadmap.timeutil import aware, utcnow

bp = Blueprint("invited", __name__, url_prefix="/f")

CHANGE_WINDOW = timedelta(hours=24)


def _invitation(code: str, token: str) -> SurveyInvitation | None:
    """The invitation of a personal link, with its survey; None for a link nobody was sent."""
    if not (code.isascii() and code.isalnum() and len(code) <= 16 and token.isascii() and len(token) <= 43):
        return None
    return db.session.scalar(
        select(SurveyInvitation).join(Survey, Survey.id == SurveyInvitation.survey_id)
        .where(SurveyInvitation.token == token, Survey.code == code)
        .options(joinedload(SurveyInvitation.survey).selectinload(Survey.versions)))


def _personal_link(view):
    """A page of a personal link, in the language the link asks for (?lang=) or else the contact's: the view gets
    the invitation and that language; a link nobody was sent is the survey's not-found page (404)."""
    @wraps(view)
    def link_page(code: str, token: str):
        invitation = _invitation(code, token)
        language = known(request.values.get("lang")) or (invitation.language if invitation else "en")
        with in_language(language):
            if invitation is None:
                return render_template("surveys/not_found.html", language=language), 404
            return view(code, token, invitation, language)
    return link_page


@dataclass(frozen=True)
class Changing:
    answered_at: datetime
    until: datetime


def _changing(invitation: SurveyInvitation, now: datetime) -> Changing | None | bool:
    """None: not answered yet; a Changing: answered and still changeable; False: answered, no longer changeable."""
    if invitation.answered_at is None:
        return None
    until = aware(invitation.answered_at) + CHANGE_WINDOW
    return Changing(aware(invitation.answered_at), until) if now < until else False


def _given_of(answer: SurveyAnswer | None) -> Given | None:
    """The answer given before, as the page shows it for a change."""
    if answer is None:
        return None
    return Given(score=answer.score, expectation=answer.expectation, perception=answer.perception,
                 ratings={int(key): value for key, value in answer.ratings.items() if key.isdigit()},
                 comment=answer.comment, consent=answer.contact is not None, contact_name=answer.contact_name or "",
                 contact=answer.contact or "")


@bp.route("/<code>/i/<token>", methods=["GET", "POST"])
@public
@csrf.exempt  # nobody is signed in here; the signed moment the page was shown ties the answer to this page
@limiter.limit(_limit, methods=["POST"], scope="survey-answer", on_breach=_too_many)
@_personal_link
def answer(code: str, token: str, invitation: SurveyInvitation, language: str):
    survey = invitation.survey
    if survey.state != "live":
        return render_template("surveys/closed.html", survey=survey, language=language), 200
    changing = _changing(invitation, utcnow())
    if changing is False:
        return render_template("surveys/invitations/answered.html", survey=survey, language=language), 200
    context = {"survey": survey, "version": survey.current, "language": language, "hidden": {},
               "token": token, "changing": changing,
               "rated": rated_touchpoints(survey.organisation_id, survey.current),
               "retention": retention_months(survey.organisation_id)}
    if request.method == "GET":
        return page(context, answering.shown_token(code), {}, _given_of(invitation.answer))
    refused, taken = take_posted(context, code, lambda given: _take(invitation, given, language))
    if refused is not None:
        return refused
    if not taken:
        return render_template("surveys/invitations/answered.html", survey=survey, language=language), 200
    return redirect(url_for("feedback.thanks", code=code, lang=language), code=303)


def _take(invitation: SurveyInvitation, given: Given, language: str) -> bool:
    """Store the answer of a personal link, replacing the one given from it within the last 24 hours; False when
    the link answered longer ago (it takes one answer). The periods of both answers are worked out again."""
    now = utcnow()
    hold_row(invitation)  # two posts of the same link at once: the second sees the first's answer
    if _changing(invitation, now) is False:
        return False
    survey = invitation.survey
    earlier = invitation.answer
    if earlier is not None:
        earlier_day = earlier.answered_on
        invitation.answer = None
        db.session.delete(earlier)
        db.session.flush()
        tally.recount(survey.id, earlier_day, earlier_day)  # the daily counts the pages read lose the answer too
        if earlier_day != now.date():
            settling.refresh_period(survey, earlier_day)
    answer = answering.record_answer(survey, given, language, dict(invitation.hidden), now)
    invitation.answer = answer
    invitation.answered_at = invitation.answered_at or now
    return True


@bp.route("/<code>/i/<token>/unsubscribe", methods=["GET", "POST"])
@public
@csrf.exempt  # the one-click unsubscribe of the mail (RFC 8058) posts here with no page before it
@_personal_link
def unsubscribe(code: str, token: str, invitation: SurveyInvitation, language: str):
    """GET asks (mail scanners open links); POST puts the address on the organisation's suppression list."""
    organisation = db.session.get_one(Organisation, invitation.organisation_id)
    done = request.method == "POST"
    if done:
        services.unsubscribe(invitation)
    return render_template("surveys/invitations/unsubscribe.html", survey=invitation.survey, language=language,
                           organisation_name=organisation.name, done=done, token=token)
