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
from cxroadmap.surveys.models import Survey as SurveyRow
from cxroadmap.surveys.models import SurveyAnswer


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


class ResponseQuery(schemas.Page):
    since: Annotated[schemas.Day | None, Field(description="Answered on or after this day.")] = None
    until: Annotated[schemas.Day | None, Field(description="Answered on or before this day.")] = None


def _survey(survey: SurveyRow, slug: str, counts: dict[int, int], keys: dict[int, str]) -> Survey:
    return Survey(id=survey.id, url=_url(f"/o/{slug}/surveys/{survey.id}"), title=survey.title, state=survey.state,
                  measure=survey.measure, touchpoint=keys.get(survey.touchpoint_id),
                  kpi=survey.kpi.code if survey.kpi else None, period=survey.period,
                  version=survey.current.number, public_url=url_for("feedback.answer", code=survey.code,
                                                                    _external=True),
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

