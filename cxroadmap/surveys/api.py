"""The API's survey resources: the organisation's surveys, and the answers customers gave to one, paged and
filtered by date (the answers' contact details only where the customer agreed to be contacted)."""

from typing import Annotated, Literal

from flask import url_for
from pydantic import Field
from sqlalchemy import select

from cxroadmap.apikit import schemas
from cxroadmap.apikit.problems import ApiProblem
from cxroadmap.apikit.resources import api_url as _url
from cxroadmap.apikit.resources import paged as _paged
from cxroadmap.apikit.spec import KEY as TOUCHPOINT_KEY
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.emails import normal_email
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures.services import kpi_by_code
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys import services as surveys
from cxroadmap.surveys.drivers import survey_drivers as analyse
from cxroadmap.surveys.invitations.contacts import HIDDEN_NAME, MAX_HIDDEN, Contact, contact_problems
from cxroadmap.surveys.invitations.services import invite_one, quiet_days
from cxroadmap.surveys.kinds import HIDDEN_VALUE_LENGTH
from cxroadmap.surveys.models import Survey as SurveyRow
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.surveys.policy import CHANGE_SURVEY
from cxroadmap.timeutil import today

bp = ApiOperations()


class Survey(schemas.Response):
    id: int
    url: str
    title: str = Field(description="The title in English: what the committee calls it, and what customers read "
                                   "without a Dutch one.")
    title_nl: str | None = Field(description="The title customers who answer in Dutch read; none: they read "
                                             "the English title.")
    state: str
    measure: str
    touchpoint: str | None = Field(description="The key of the touchpoint it asks about; none: the relationship.")
    kpi: str | None = Field(description="The code of the KPI its headline score feeds.")
    period: str
    version: int = Field(description="The number of its questions' current version.")
    public_url: str
    allowed_origins: list[str] = Field(description="The sites (origins) whose pages may show it through its snippet.")
    snippet_url: str = Field(description="The script a site of allowed_origins puts where the survey should show.")
    answers: int


class SurveyList(schemas.Response):
    items: list[Survey]


class SurveyResponse(schemas.Response):
    id: int
    answered_at: schemas.Moment
    version: int
    score: int
    expectation: int | None
    perception: int | None
    ratings: dict[str, int] = Field(description="Ratings (1–7) of other touchpoints, by touchpoint key.")
    comment: str
    language: str
    hidden: dict[str, str] = Field(description="What the link carried: order, customer, channel.")
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None


class SurveyResponseList(schemas.Response):
    items: list[SurveyResponse]


class Driver(schemas.Response):
    touchpoint: str = Field(description="The touchpoint's key.")
    weight: str = Field(description="Its raw relative weight: the part of R² it explains (the weights add up to R²).")
    share: str = Field(description="Its share of the explained variance of the score, in per cent (two places).")
    correlation: str | None = Field(description="Its ratings' correlation with the score; none without spread.")
    mean_rating: str | None = Field(description="Its mean rating (1–7) over the answers analysed.")
    priority: str | None = Field(description="fix_first, keep_up, lower_priority or possible_overkill: importance "
                                             "above or below the touchpoints' average share, performance above or "
                                             "below their average rating.")


class DriverList(schemas.Response):
    survey: int | None = Field(description="The survey whose answers were analysed; none: no survey feeds the KPI.")
    since: schemas.Day = Field(description="The analysis reads the answers given after this day (a year).")
    n: int = Field(description="The answers that rated every touchpoint.")
    needed: int = Field(description="The answers the analysis needs (ten for each touchpoint rated).")
    r_squared: str | None = Field(description="How much of the score's variance the touchpoints explain (0–1).")
    refusal: str | None = Field(description="Why no drivers are given: too_few_answers, no_touchpoints, "
                                            "no_spread_in_score, no_spread_in_touchpoints or (for a KPI) "
                                            "no_survey.")
    items: list[Driver]


class ResponseQuery(schemas.Page):
    since: Annotated[schemas.Day | None, Field(description="Answered on or after this day.")] = None
    until: Annotated[schemas.Day | None, Field(description="Answered on or before this day (not before since).")] \
        = None
    touchpoint: Annotated[str | None, Field(pattern=TOUCHPOINT_KEY, description=(
        "A touchpoint's key: the survey's own touchpoint (every answer is about it) or one of the touchpoints "
        "it asks customers to rate (the answers that rated it). Any other key, or until before since, is refused "
        "(422, \"No answer can match these filters.\")."))] = None


def _survey(survey: SurveyRow, slug: str, counts: dict[int, int], keys: dict[int, str]) -> Survey:
    return Survey(id=survey.id, url=_url(f"/o/{slug}/surveys/{survey.id}"), title=survey.title,
                  title_nl=survey.title_nl or None, state=survey.state,
                  measure=survey.measure, touchpoint=keys.get(survey.touchpoint_id),
                  kpi=survey.kpi.code if survey.kpi else None, period=survey.period,
                  version=survey.current.number, public_url=url_for("feedback.answer", code=survey.code,
                                                                    _external=True),
                  allowed_origins=survey.origins,
                  snippet_url=url_for("feedback.snippet", code=survey.code, _external=True),
                  answers=counts.get(survey.id, 0))


def _keys(organisation: Organisation) -> dict[int, str]:
    return dict(db.session.execute(select(Touchpoint.id, Touchpoint.key).where(
        Touchpoint.organisation_id == organisation.id)).all())


@operation(bp, "GET", "/o/<slug>/surveys", summary="The organisation's surveys, live ones first", tag="Surveys",
           response=SurveyList)
def list_surveys(organisation: Organisation):
    keys, counts = _keys(organisation), surveys.answer_counts(organisation)
    items = [_survey(s, organisation.slug, counts, keys) for s in surveys.all_surveys(organisation)]
    return SurveyList(items=items), {}


@operation(bp, "GET", "/o/<slug>/surveys/<int:survey_id>/responses", tag="Surveys", role="steering",
           summary="The answers customers gave to a survey, the latest first", query=ResponseQuery,
           response=SurveyResponseList, headers=["Link"])
def list_survey_responses(organisation: Organisation, survey_id: int, query: ResponseQuery):
    """Each answer as it was given, with the version of the questions it answered. Contact details are there only
    when the customer agreed to be contacted. Filter by the day answered with `since` and `until`, and by
    `touchpoint`: the key of the survey's own touchpoint, or of a touchpoint it asks customers to rate (then only
    the answers that rated it). A key the survey does not ask about, or `until` before `since`, answers 422."""
    survey = surveys.survey_in(organisation, survey_id)
    if query.since and query.until and query.until < query.since:
        raise ApiProblem(422, _("No answer can match these filters."),
                         {"until": _("The last day comes on or after the first (since).")})
    keys = _keys(organisation)
    answers = (select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
               .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()))
    if query.since:
        answers = answers.where(SurveyAnswer.answered_on >= query.since)
    if query.until:
        answers = answers.where(SurveyAnswer.answered_on <= query.until)
    if query.touchpoint:
        answers = answers.where(*_about(survey, query.touchpoint, keys))
    rows, headers = _paged(answers, query)
    numbers = {v.id: v.number for v in survey.versions}
    return SurveyResponseList(items=[_response(a, numbers, keys) for a in rows]), headers


def _about(survey: SurveyRow, key: str, keys: dict[int, str]) -> tuple:
    """The conditions on a survey's answers that they concern the touchpoint keyed so: none for the survey's own
    touchpoint (every answer is about it); that they rated it, for one that a version asks customers to rate;
    ApiProblem 422 for any other key: a rule the document cannot state (the keys are the organisation's), so it is
    refused as no answer matching, never as not fitting the schema."""
    if survey.touchpoint_id is not None and keys.get(survey.touchpoint_id) == key:
        return ()
    rated = {keys[i]: i for version in survey.versions for i in version.rated if i in keys}
    if key not in rated:
        asked = sorted({*rated, *([keys[survey.touchpoint_id]] if survey.touchpoint_id in keys else [])})
        raise ApiProblem(422, _("No answer can match these filters."), {"touchpoint": _(
            "This survey neither asks about nor rates %(key)s; it asks about: %(keys)s.", key=key,
            keys=", ".join(asked) or _("no touchpoint (the relationship as a whole)"))})
    return (SurveyAnswer.ratings[str(rated[key])].as_integer().is_not(None),)


def _response(answer: SurveyAnswer, numbers: dict[int, int], keys: dict[int, str]) -> SurveyResponse:
    ratings = {keys[int(i)]: value for i, value in answer.ratings.items() if i.isdigit() and int(i) in keys}
    return SurveyResponse(id=answer.id, answered_at=answer.answered_at, version=numbers.get(answer.version_id, 0),
                          score=answer.score, expectation=answer.expectation, perception=answer.perception,
                          ratings=ratings, comment=answer.comment, language=answer.language, hidden=answer.hidden,
                          contact_name=answer.contact_name, contact_email=answer.contact_email,
                          contact_phone=answer.contact_phone)



@operation(bp, "GET", "/o/<slug>/surveys/<int:survey_id>/drivers", tag="Surveys", response=DriverList,
           summary="What drives a survey's headline score: each touchpoint's share and mean rating")
def survey_drivers(organisation: Organisation, survey_id: int):
    """Johnson's relative weights of the touchpoints the survey's answers of the last year rated, largest first,
    with each one's mean rating and its place in the importance–performance quadrants. A survey that rates no
    touchpoint, or whose answers are too few or without spread, answers with no items and says why."""
    return _drivers_of(surveys.survey_in(organisation, survey_id)), {}


@operation(bp, "GET", "/o/<slug>/kpis/<code>/drivers", tag="KPIs", response=DriverList,
           summary="What drives a KPI's score: the driver analysis of the survey that feeds it")
def kpi_drivers(organisation: Organisation, code: str):
    """The analysis of the first survey feeding the KPI that rates touchpoints (live ones first), as the survey's
    own drivers answer it. A KPI no survey feeds answers with no items and `no_survey`."""
    feeding = surveys.surveys_feeding(organisation, kpi_by_code(organisation, code))
    rating = [survey for survey in feeding if survey.current.rated] or feeding
    if not rating:
        return DriverList(survey=None, since=today(), n=0, needed=0, r_squared=None, refusal="no_survey",
                          items=[]), {}
    return _drivers_of(rating[0]), {}


def _drivers_of(survey: SurveyRow) -> DriverList:
    found = analyse(survey, today())
    if found is None:
        return DriverList(survey=survey.id, since=today(), n=0, needed=0, r_squared=None, refusal="no_touchpoints",
                          items=[])
    analysis = found.analysis
    weights = {driver.key: driver.raw_weight for driver in analysis.drivers}
    items = [Driver(touchpoint=row.key, weight=str(weights[row.key]), share=str(row.share),
                    correlation=str(row.correlation) if row.correlation is not None else None,
                    mean_rating=str(row.performance) if row.performance is not None else None,
                    priority=row.quadrant) for row in found.rows]
    return DriverList(survey=survey.id, since=found.since, n=analysis.n, needed=analysis.needed,
                      r_squared=str(analysis.r_squared) if analysis.r_squared is not None else None,
                      refusal=analysis.refusal, items=items)


# -- invitations sent by another system (kept together here, to move with the invitations) ------------------

class InvitationCreate(schemas.Request):
    """One contact to invite: the mail goes out after the survey's delay, by the background work."""

    email: schemas.EMAIL = Field(description="The contact's email address.")
    name: schemas.line(200) = Field(default="", description="How the mail greets the contact.")
    language: Literal["en", "nl"] = Field(default="en", description="The language of the mail and the answer page.")
    hidden: dict[Annotated[str, Field(pattern=HIDDEN_NAME.pattern)], schemas.line(HIDDEN_VALUE_LENGTH)] = Field(
        default_factory=dict, max_length=MAX_HIDDEN, json_schema_extra={"additionalProperties": False},
        description="Hidden fields kept with the answer (order, customer …): at most ten, each one line.")


class InvitationAccepted(schemas.Response):
    id: int
    survey: int
    state: Literal["queued", "quiet", "suppressed"] = Field(
        description="queued: it will be sent at send_after; quiet: not sent, the contact was asked within the "
                    "organisation's quiet period; suppressed: not sent, the address unsubscribed.")
    will_be_sent: bool
    send_after: schemas.Moment | None = Field(description="When the background work sends it; none: never.")
    reason: str | None = Field(description="Why it will not be sent, in words.")


@operation(bp, "POST", "/o/<slug>/surveys/<int:survey_id>/invitations", tag="Surveys", role=CHANGE_SURVEY,
           summary="Invite one contact to a survey (sent after the survey's delay)", body=InvitationCreate,
           response=InvitationAccepted, status=202)
def invite_contact(organisation: Organisation, survey_id: int, body: InvitationCreate):
    """For another system (the ERP after a delivery). Always 202 Accepted for a valid contact of a live survey: the
    body says whether the mail will be sent and when, or why not (the quiet period, the suppression list) — the
    caller need not know who unsubscribed. A survey that is not live answers 409; a contact that is not valid,
    422."""
    survey = surveys.survey_in(organisation, survey_id)
    if survey.state != "live":
        raise ApiProblem(409, _("The survey is not live: invitations go to live surveys only."))
    email = normal_email(body.email)
    problems = contact_problems(email, body.name, body.language, body.hidden)
    if problems:
        raise ApiProblem(422, _("Nothing was saved."), problems)
    invitation = invite_one(survey, Contact(email, body.name.strip(), body.language, dict(body.hidden)))
    return _accepted(invitation, organisation), {}


def _accepted(invitation, organisation: Organisation) -> InvitationAccepted:
    reasons = {"quiet": _("The contact was invited within the last %(days)s days (the quiet period).",
                          days=quiet_days(organisation.id)),
               "suppressed": _("The address unsubscribed from this organisation's surveys.")}
    queued = invitation.state == "queued"
    return InvitationAccepted(id=invitation.id, survey=invitation.survey_id, state=invitation.state,
                              will_be_sent=queued, send_after=invitation.due_at if queued else None,
                              reason=reasons.get(invitation.state))
