"""The API's KPIs: each with its latest reading, status and achievement, and its readings, recorded here too
(e.g. by a survey tool)."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from flask import g
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from cxroadmap.apikit.resources import api_url, etag, paged
from cxroadmap.apikit.schemas import Day, Page, Request, Response, decimal_string, one_of, whole
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.extensions import db
from cxroadmap.journey.models import Touchpoint
from cxroadmap.measures import models
from cxroadmap.measures import services as measures
from cxroadmap.measures.kinds import DIRECTIONS, KPI_KINDS, KPI_STATUSES, MEASURES, TRENDS
from cxroadmap.measures.policy import RECORD_READING
from cxroadmap.measures.services import MAX_RESPONDENTS
from cxroadmap.organisations.models import Organisation
from cxroadmap.statistics.readings import (
    CONSERVATIVE,
    FROM_ANSWERS,
    FROM_VALUE,
    SURVEY_MEASURES,
    ScoreReading,
    read_score,
)
from cxroadmap.timeutil import today

bp = ApiOperations()


class ReadingInterval(Response):
    """The 95 % confidence interval of an NPS, CSAT or CES reading."""

    low: Decimal
    high: Decimal
    basis: Literal[FROM_ANSWERS, FROM_VALUE, CONSERVATIVE] = Field(description=(
        "How it was worked out: 'answers' from the answers' distribution (NPS adjusted-Wald, CSAT Wilson, CES t); "
        "'value' from the value and the number of answers (CSAT, exact); 'conservative' from the value and the "
        "number of answers taking no passives (NPS), never narrower than the true interval."))


class KpiReading(Response):
    id: int
    taken_on: date
    value: Decimal
    respondents: int | None
    note: str
    created_by: str
    interval: ReadingInterval | None = Field(description=(
        "NPS, CSAT and CES readings: the 95 % interval, when the number of answers is known (a CES needs its "
        "answers); none for other measures."))
    too_few_answers: bool = Field(description="An NPS, CSAT or CES reading of fewer than 30 answers: too few to "
                                              "conclude from.")


class KpiReadingList(Response):
    items: list[KpiReading]


# Up to 12 digits before the point and 4 after, either sign: measures.services.MAX_VALUE (a test holds them together).
ReadingValue = decimal_string(r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$", "42.5")


class KpiReadingCreate(Request):
    """A reading of the day; one already recorded for that day is replaced."""

    taken_on: Day = Field(description="The day it was measured; not in the future.")
    value: ReadingValue = Field(description="A decimal string, e.g. \"42.5\"; the measure's range applies.")
    respondents: whole(0, MAX_RESPONDENTS) | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class Kpi(Response):
    code: str
    url: str
    name: str
    kind: one_of(KPI_KINDS)
    measure: one_of(MEASURES)
    unit: str
    direction: one_of(DIRECTIONS)
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal
    target_on: date
    owner: str | None = Field(description="The owner's email or name (a coalition member).")
    touchpoint: str | None = Field(description="The key of the touchpoint it measures.")
    latest: KpiReading | None
    expected: Decimal = Field(description="Where the line from baseline to target says it should be today.")
    status: one_of(KPI_STATUSES)
    achievement: Decimal | None = Field(description="How far from baseline to target the latest reading is, "
                                                    "in percent.")
    trend: one_of(TRENDS) | None
    version: int


class KpiList(Response):
    items: list[Kpi]


def _score(measure: str, reading: models.KpiReading, tallies: dict) -> ScoreReading | None:
    """An NPS, CSAT or CES reading read as the KPI page reads it (exact where the answers behind it are kept)."""
    if measure not in SURVEY_MEASURES:
        return None
    return read_score(measure, reading.value, reading.respondents, tallies.get(reading.id))


def _reading(reading: models.KpiReading, score: ScoreReading | None = None) -> KpiReading:
    """The reading, with the interval of its score (an NPS, CSAT or CES reading's)."""
    interval = ReadingInterval(low=score.low, high=score.high, basis=score.basis) \
        if score is not None and score.interval is not None else None
    return KpiReading(id=reading.id, taken_on=reading.taken_on, value=reading.value,
                      respondents=reading.respondents, note=reading.note, created_by=reading.created_by,
                      interval=interval, too_few_answers=bool(score and score.too_few))


def _kpi(figures: measures.KpiFigures) -> Kpi:
    kpi, latest = figures.kpi, figures.latest
    return Kpi(
        code=kpi.code, url=api_url(f"/o/{g.organisation.slug}/kpis/{kpi.code}"), name=kpi.name, kind=kpi.kind,
        measure=kpi.measure, unit=kpi.unit, direction=kpi.direction, baseline_value=kpi.baseline_value,
        baseline_on=kpi.baseline_on, target_value=kpi.target_value, target_on=kpi.target_on,
        owner=(kpi.owner.email or kpi.owner.name) if kpi.owner else None,
        touchpoint=kpi.touchpoint.key if kpi.touchpoint else None,
        latest=_reading(latest, figures.latest_honest.score if figures.latest_honest else None)
        if latest else None,
        expected=figures.expected, status=figures.status,
        achievement=figures.achievement, trend=figures.trend, version=kpi.version)


@operation(bp, "GET", "/o/<slug>/kpis", summary="KPIs with their latest reading, status and achievement",
           tag="KPIs", query=Page, response=KpiList, headers=["Link"])
def list_kpis(organisation: Organisation, query: Page):
    """O-data first, then X-data, each by code, as on the page."""
    row = models.Kpi
    kpis = row.scoped_to(organisation).options(
        joinedload(row.owner), joinedload(row.touchpoint).joinedload(Touchpoint.stage)).order_by(
        row.kind, row.code, row.id)
    rows, headers = paged(kpis, query)
    readings = measures.readings_by_kpi([kpi.id for kpi in rows])
    on = today()
    return KpiList(items=[_kpi(figures) for figures in measures.figures_of_many(rows, readings, on)]), headers


@operation(bp, "GET", "/o/<slug>/kpis/<code>", summary="One KPI with its latest reading, status and achievement",
           tag="KPIs", response=Kpi, versioned=True)
def get_kpi(organisation: Organisation, code: str):
    kpi = measures.kpi_by_code(organisation, code)
    return _kpi(measures.kpi_figures(kpi, today())), {"ETag": etag(kpi)}


@operation(bp, "GET", "/o/<slug>/kpis/<code>/readings", summary="A KPI's readings, the latest first",
           tag="KPIs", query=Page, response=KpiReadingList, headers=["Link"])
def list_kpi_readings(organisation: Organisation, code: str, query: Page):
    kpi = measures.kpi_by_code(organisation, code)
    row = models.KpiReading
    readings = select(row).where(row.kpi_id == kpi.id).order_by(row.taken_on.desc(), row.id.desc())
    rows, headers = paged(readings, query)
    tallies = measures.tallies_of([kpi], rows)
    return KpiReadingList(items=[_reading(r, _score(kpi.measure, r, tallies)) for r in rows]), headers


@operation(bp, "POST", "/o/<slug>/kpis/<code>/readings", summary="Record a reading (e.g. from a survey tool)",
           tag="KPIs", role=RECORD_READING, body=KpiReadingCreate, response=KpiReading, status=201)
def post_kpi_reading(organisation: Organisation, code: str, body: KpiReadingCreate):
    """Checked as the KPI page checks it (the measure's range, no future date); a reading already recorded for
    that day is replaced."""
    kpi = measures.kpi_by_code(organisation, code)
    reading = measures.record_reading(kpi, **body.model_dump())
    db.session.refresh(reading)  # answer with what was stored, as a later read will
    location = api_url(f"/o/{organisation.slug}/kpis/{kpi.code}/readings")
    return _reading(reading, _score(kpi.measure, reading, {})), {"Location": location}
