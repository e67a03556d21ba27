"""The API's customer journey: its stages with their touchpoints and latest gaps, and each touchpoint's scores,
recorded here too."""

from datetime import date
from decimal import Decimal

from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cxroadmap.apikit.resources import api_url, paged
from cxroadmap.apikit.schemas import Day, Page, Request, Response, decimal_string, line, whole
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.audit.services import current_actor
from cxroadmap.extensions import db
from cxroadmap.journey import models
from cxroadmap.journey import services as journey
from cxroadmap.journey.policy import SCORE_TOUCHPOINT
from cxroadmap.journey.reading import journey_reading
from cxroadmap.journey.services import MAX_RESPONDENTS
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import today

bp = ApiOperations()


class TouchpointScore(Response):
    id: int
    scored_on: date
    expectation: Decimal
    perception: Decimal
    gap: Decimal = Field(description="Perception minus expectation: below zero falls short.")
    respondents: int
    source: str
    recorded_by: str


class TouchpointScoreList(Response):
    items: list[TouchpointScore]


# From 1 to 7, with at most two places.
Score17 = decimal_string(r"^([1-6](\.[0-9]{1,2})?|7(\.0{1,2})?)$", "5.50")


class TouchpointScoreCreate(Request):
    """What customers expected and how they found it, each on the 1–7 scale."""

    scored_on: Day = Field(description="The day it was measured; not in the future.")
    expectation: Score17
    perception: Score17
    respondents: whole(1, MAX_RESPONDENTS) = 1
    source: line(200) = ""


class Touchpoint(Response):
    key: str
    url: str
    name: str
    channel: str
    owner: str | None = Field(description="The owning team's name.")
    moment_of_truth: bool
    latest: TouchpointScore | None
    gap: Decimal | None
    stale: bool = Field(description="Nothing scored in the last 180 days.")


class JourneyStage(Response):
    name: str
    position: int
    gap: Decimal | None = Field(description="The stage's latest scores pooled by respondents.")
    touchpoints: list[Touchpoint]


class Journey(Response):
    gap: Decimal | None = Field(description="Every touchpoint's latest score pooled by respondents.")
    stages: list[JourneyStage]


def _score(score: models.TouchpointScore) -> TouchpointScore:
    return TouchpointScore(id=score.id, scored_on=score.scored_on, expectation=score.expectation,
                           perception=score.perception, gap=score.gap, respondents=score.respondents,
                           source=score.source, recorded_by=score.recorded_by)


@operation(bp, "GET", "/o/<slug>/journey", summary="The journey's stages with their touchpoints and latest gaps",
           tag="Journey", response=Journey)
def get_journey(organisation: Organisation):
    read = journey_reading(organisation, today())
    slug = organisation.slug
    return Journey(gap=read.overall_gap, stages=[JourneyStage(
        name=stage.stage.name, position=stage.stage.position, gap=stage.gap, touchpoints=[Touchpoint(
            key=r.touchpoint.key, url=api_url(f"/o/{slug}/touchpoints/{r.touchpoint.key}/scores"),
            name=r.touchpoint.name, channel=r.touchpoint.channel,
            owner=r.touchpoint.team.name if r.touchpoint.team else None,
            moment_of_truth=r.touchpoint.moment_of_truth, latest=_score(r.latest) if r.latest else None,
            gap=r.gap, stale=r.stale) for r in stage.touchpoints]) for stage in read.stages])


@operation(bp, "GET", "/o/<slug>/touchpoints/<key>/scores", summary="A touchpoint's scores, the latest first",
           tag="Journey", query=Page, response=TouchpointScoreList, headers=["Link"])
def list_touchpoint_scores(organisation: Organisation, key: str, query: Page):
    touchpoint = journey.touchpoint_by_key(organisation, key)
    row = models.TouchpointScore
    scores = (select(row).where(row.touchpoint_id == touchpoint.id).options(joinedload(row.touchpoint))
              .order_by(row.scored_on.desc(), row.id.desc()))
    rows, headers = paged(scores, query)
    return TouchpointScoreList(items=[_score(s) for s in rows]), headers


@operation(bp, "POST", "/o/<slug>/touchpoints/<key>/scores", summary="Record a touchpoint's expectation and "
           "perception", tag="Journey", role=SCORE_TOUCHPOINT, body=TouchpointScoreCreate,
           response=TouchpointScore, status=201)
def post_touchpoint_score(organisation: Organisation, key: str, body: TouchpointScoreCreate):
    """Checked as the touchpoint page checks it; earlier scores are kept, the latest counts."""
    touchpoint = journey.touchpoint_by_key(organisation, key)
    score = journey.add_score(organisation, touchpoint, **body.model_dump(), recorded_by=current_actor().label)
    db.session.refresh(score)
    return _score(score), {"Location": api_url(f"/o/{organisation.slug}/touchpoints/{touchpoint.key}/scores")}
