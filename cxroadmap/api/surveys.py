"""The API's survey resources: the organisation's surveys, and the answers customers gave to one, paged and
filtered by date (the answers' contact details only where the customer agreed to be contacted)."""

from typing import Annotated

from flask import url_for
from pydantic import Field
from sqlalchemy import select

from cxroadmap.api import schemas
from cxroadmap.api.spec import operation
from cxroadmap.api.views import _paged, _url, bp
from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.surveys import services as surveys
from cxroadmap.surveys.drivers import survey_drivers as analyse
from cxroadmap.surveys.models import Survey as SurveyRow
from cxroadmap.surveys.models import SurveyAnswer
from cxroadmap.timeutil import today


class Survey(schemas.Response):
    id: int
    url: str
    title: str
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
    share: str = Field(description="Its share of the explained variance of the score, in per cent (two places).")
    correlation: str | None = Field(description="Its ratings' correlation with the score; none without spread.")
    mean_rating: str | None = Field(description="Its mean rating (1–7) over the answers analysed.")
    priority: str | None = Field(description="fix_first, keep_up, lower_priority or possible_overkill: importance "
                                             "above or below the touchpoints' average share, performance above or "
                                             "below their average rating.")


class DriverList(schemas.Response):
    since: schemas.Day = Field(description="The analysis reads the answers given after this day (a year).")
    n: int = Field(description="The answers that rated every touchpoint.")
    needed: int = Field(description="The answers the analysis needs (ten for each touchpoint rated).")
    r_squared: str | None = Field(description="How much of the score's variance the touchpoints explain (0–1).")
    refusal: str | None = Field(description="Why no drivers are given: too_few_answers, no_touchpoints, "
                                            "no_spread_in_score or no_spread_in_touchpoints.")
    items: list[Driver]


class ResponseQuery(schemas.Page):
    since: Annotated[schemas.Day | None, Field(description="Answered on or after this day.")] = None
    until: Annotated[schemas.Day | None, Field(description="Answered on or before this day.")] = None


def _survey(survey: SurveyRow, slug: str, counts: dict[int, int], keys: dict[int, str]) -> Survey:
    return Survey(id=survey.id, url=_url(f"/o/{slug}/surveys/{survey.id}"), title=survey.title, state=survey.state,
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
    when the customer agreed to be contacted. Filter by the day answered with `since` and `until`."""
    survey = surveys.survey_in(organisation, survey_id)
    answers = (select(SurveyAnswer).where(SurveyAnswer.survey_id == survey.id)
               .order_by(SurveyAnswer.answered_at.desc(), SurveyAnswer.id.desc()))
    if query.since:
        answers = answers.where(SurveyAnswer.answered_on >= query.since)
    if query.until:
        answers = answers.where(SurveyAnswer.answered_on <= query.until)
    rows, headers = _paged(answers, query)
    numbers = {v.id: v.number for v in survey.versions}
    keys = _keys(organisation)
    return SurveyResponseList(items=[_response(a, numbers, keys) for a in rows]), headers


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
    survey = surveys.survey_in(organisation, survey_id)
    found = analyse(survey, today())
    if found is None:
        return DriverList(since=today(), n=0, needed=0, r_squared=None, refusal="no_touchpoints", items=[]), {}
    analysis = found.analysis
    items = [Driver(touchpoint=row.key, share=str(row.share),
                    correlation=str(row.correlation) if row.correlation is not None else None,
                    mean_rating=str(row.performance) if row.performance is not None else None,
                    priority=row.quadrant) for row in found.rows]
    return DriverList(since=found.since, n=analysis.n, needed=analysis.needed,
                      r_squared=str(analysis.r_squared) if analysis.r_squared is not None else None,
                      refusal=analysis.refusal, items=items), {}
