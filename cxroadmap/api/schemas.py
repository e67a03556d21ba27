"""The API's request and response shapes (pydantic): they validate requests and are the OpenAPI document."""

import re
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainValidator, WithJsonSchema

from cxroadmap.access import ROLES
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.initiatives.services import SORTS
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.journey.services import MAX_RESPONDENTS as MAX_SCORE_RESPONDENTS
from cxroadmap.measures.kinds import DIRECTIONS, KPI_KINDS, KPI_STATUSES, MEASURES, TRENDS
from cxroadmap.measures.services import MAX_RESPONDENTS as MAX_READING_RESPONDENTS
from cxroadmap.readiness.questions import QUESTIONS
from cxroadmap.stages import STAGES

Status = Literal[tuple(STATUSES.keys)]
Health = Literal[tuple(HEALTHS.keys)]
Question = Literal[tuple(QUESTIONS.keys)]
Stage = Literal[tuple(STAGES.keys)]
Role = Literal[tuple(ROLES.keys)]
Kind = Literal[tuple(BENEFIT_KINDS.keys)]
# What a query may carry as text, and a one-line field: no control characters (the app refuses a query holding one
# with 400, and a line break in a name with 422).
PLAIN = r"^[^\x00-\x1f\x7f]*$"


def decimal_string(pattern: str, example: str) -> type:
    """A decimal travelling as a string matching pattern ("1250.00"): exact, never a float. The pattern is the
    whole rule (digits, places, range), so the document says exactly what is accepted."""
    compiled = re.compile(pattern)

    def read(value):
        if not isinstance(value, str) or not compiled.fullmatch(value):
            raise ValueError(f"a decimal string like {example}")
        return Decimal(value)

    return Annotated[Decimal, PlainValidator(read), WithJsonSchema({"type": "string", "pattern": pattern,
                                                                     "examples": [example]})]


def whole(low: int, high: int) -> type:
    """A whole number from low to high; JSON's 21.0 is one too, "21" is not. (The bounds stand before the
    validator, so that the document says them as minimum and maximum.)"""
    return Annotated[int, Field(ge=low, le=high),
                     BeforeValidator(lambda v: int(v) if isinstance(v, float) and v.is_integer() else v)]


def line(most: int, least: int = 0) -> type:
    """One line of text: no line break or other control character."""
    return Annotated[str, Field(min_length=least, max_length=most, pattern=PLAIN)]


# Up to 12 digits before the point and 2 after, not negative: initiatives.services.MAX_MONEY (a test holds them
# together).
Money = decimal_string(r"^[0-9]{1,12}(\.[0-9]{1,2})?$", "12500.50")
# A day from 1900 to 2199, as YYYY-MM-DD.
Day = Annotated[date, Field(ge=date(1900, 1, 1), le=date(2199, 12, 31)), WithJsonSchema(
    {"type": "string", "format": "date", "pattern": r"^(19|20|21)[0-9]{2}-[0-9]{2}-[0-9]{2}$"})]
Ref = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$")]
Text = Annotated[str, Field(max_length=20000)]
Percentage = whole(0, 100)
# Stored in UTC; SQLite hands them back without the zone, the API always says it.
Moment = Annotated[datetime, AfterValidator(lambda moment: moment if moment.tzinfo else moment.replace(tzinfo=UTC))]
CURSOR = r"^c[0-9a-z]{1,8}$"
EMAIL = line(254)


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


class Query(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Response(BaseModel):
    model_config = ConfigDict(ser_json_timedelta="iso8601")


# -- lists ---------------------------------------------------------------------------------------------

class Page(Query):
    limit: Annotated[int, Field(ge=1, le=200, description="How many items at most (default 50).")] = 50
    cursor: Annotated[str | None, Field(pattern=CURSOR, description="Where the next page starts: copy it "
                                                                     "from the Link header.")] = None


# -- organisations -------------------------------------------------------------------------------------

class OrganisationSummary(Response):
    slug: str
    name: str
    currency: str
    locale: str
    role: Role = Field(description="What this token may do there: its owner's role, at most viewer when read-only.")
    url: str


class OrganisationList(Response):
    items: list[OrganisationSummary]


class Counts(Response):
    by_status: dict[str, int]
    by_health: dict[str, int]
    by_question: dict[str, int]


class PortfolioFigures(Response):
    annual_expected: Decimal
    annual_risk_adjusted: Decimal
    one_off_cost: Decimal
    annual_running_cost: Decimal
    horizon_years: int
    npv: Decimal
    roi: Decimal | None
    payback_months: int | None


class Organisation(OrganisationSummary):
    brand_promise: str
    discount_rate: Decimal
    current_stage: Stage | None
    target_stage: Stage | None
    target_date: date | None
    initiatives: Counts
    portfolio: PortfolioFigures
    needs_attention: list[str] = Field(description="Refs of open initiatives that are red, amber or overdue.")


# -- initiatives ---------------------------------------------------------------------------------------

class Initiative(Response):
    ref: str
    url: str
    title: str
    description: str
    readiness_question: Question
    owner: str | None = Field(description="The owner's email (a coalition member).")
    status: Status
    health: Health
    progress: int
    start_date: date | None
    due_date: date | None
    target_stage: Stage | None
    one_off_cost: Decimal
    annual_running_cost: Decimal
    archived: bool
    version: int
    updated_by: str
    updated_at: Moment


class InitiativeList(Response):
    items: list[Initiative]


class InitiativeQuery(Page):
    question: Question | None = None
    status: Status | None = None
    health: Health | None = None
    owner: Annotated[str | None, Field(max_length=254, pattern=PLAIN, description="The owner's email.")] = None
    archive: Literal["active", "archived", "all"] = "active"
    q: Annotated[str, Field(max_length=200, pattern=PLAIN, description="Words in the title or ref.")] = ""
    sort: Literal[tuple(SORTS)] = "ref"
    dir: Literal["asc", "desc"] = "asc"


class InitiativeCreate(Request):
    ref: Ref | None = Field(default=None, description="Given as INIT-n when left out.")
    title: line(200, least=1)
    description: Text = ""
    readiness_question: Question
    owner: EMAIL | None = Field(default=None, description="Email of a coalition member.")
    status: Status = "proposed"
    health: Health = "green"
    progress: Percentage = 0
    start_date: Day | None = None
    due_date: Day | None = None
    target_stage: Stage | None = None
    one_off_cost: Money = Decimal("0.00")
    annual_running_cost: Money = Decimal("0.00")


class InitiativeUpdate(Request):
    """Only the fields given change."""

    ref: Ref | None = None
    title: line(200, least=1) | None = None
    description: Text | None = None
    readiness_question: Question | None = None
    owner: EMAIL | None = None
    status: Status | None = None
    health: Health | None = None
    progress: Percentage | None = None
    start_date: Day | None = None
    due_date: Day | None = None
    target_stage: Stage | None = None
    one_off_cost: Money | None = None
    annual_running_cost: Money | None = None
    note: Annotated[str, Field(max_length=5000, description="Why, when status, health or progress change.")] = ""


# -- what hangs off an initiative ----------------------------------------------------------------------

class StatusUpdate(Response):
    id: int
    posted_on: date
    author: str
    status: Status
    health: Health
    progress: int
    note: str


class StatusUpdateList(Response):
    items: list[StatusUpdate]


class StatusUpdateCreate(Request):
    status: Status
    health: Health
    progress: Percentage
    note: Annotated[str, Field(min_length=1, max_length=5000)]


class Benefit(Response):
    id: int
    kind: Kind
    description: str
    volume: Decimal | None
    rate: Decimal | None
    unit_value: Decimal | None
    annual_amount: Decimal
    confidence: Decimal
    starts_on: date | None
    ramp_months: int


class BenefitList(Response):
    items: list[Benefit]


class Milestone(Response):
    id: int
    title: str
    due_on: date
    original_due_on: date
    done_on: date | None
    slips: int


class MilestoneList(Response):
    items: list[Milestone]


# -- meetings, decisions, actions ----------------------------------------------------------------------

class Decision(Response):
    id: int
    text: str
    initiatives: list[str]


class Action(Response):
    id: int
    title: str
    owner: str | None
    due_on: date | None
    status: Literal["open", "done"]
    done_on: date | None
    initiative: str | None
    meeting_id: int | None


class ActionList(Response):
    items: list[Action]


class ActionQuery(Page):
    status: Literal["open", "done", "all"] = "open"


class Meeting(Response):
    id: int
    url: str
    held_on: date
    title: str
    attendees: list[str]
    agenda: list[str]
    other_items: list[str]
    minutes: str
    decisions: list[Decision]


class MeetingList(Response):
    items: list[Meeting]


# -- reports -------------------------------------------------------------------------------------------

class Report(Response):
    id: int
    kind: str
    issued_at: Moment
    issued_by: str
    filename: str
    sha256: str
    size: int
    download_url: str


class ReportList(Response):
    items: list[Report]


# -- KPIs ----------------------------------------------------------------------------------------------

class KpiReading(Response):
    id: int
    taken_on: date
    value: Decimal
    respondents: int | None
    note: str
    created_by: str


class KpiReadingList(Response):
    items: list[KpiReading]


# Up to 12 digits before the point and 4 after, either sign: measures.services.MAX_VALUE (a test holds them together).
ReadingValue = decimal_string(r"^-?[0-9]{1,12}(\.[0-9]{1,4})?$", "42.5")


class KpiReadingCreate(Request):
    """A reading of the day; one already recorded for that day is replaced."""

    taken_on: Day = Field(description="The day it was measured; not in the future.")
    value: ReadingValue = Field(description="A decimal string, e.g. \"42.5\"; the measure's range applies.")
    respondents: whole(0, MAX_READING_RESPONDENTS) | None = None
    note: Annotated[str, Field(max_length=2000)] = ""


class Kpi(Response):
    code: str
    url: str
    name: str
    kind: Literal[tuple(KPI_KINDS.keys)]
    measure: Literal[tuple(MEASURES.keys)]
    unit: str
    direction: Literal[tuple(DIRECTIONS.keys)]
    baseline_value: Decimal
    baseline_on: date
    target_value: Decimal
    target_on: date
    owner: str | None = Field(description="The owner's email or name (a coalition member).")
    touchpoint: str | None = Field(description="The key of the touchpoint it measures.")
    latest: KpiReading | None
    expected: Decimal = Field(description="Where the line from baseline to target says it should be today.")
    status: Literal[tuple(KPI_STATUSES.keys)]
    achievement: Decimal | None = Field(description="How far from baseline to target the latest reading is, "
                                                    "in percent.")
    trend: Literal[tuple(TRENDS.keys)] | None
    version: int


class KpiList(Response):
    items: list[Kpi]


# -- the journey ---------------------------------------------------------------------------------------

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
    respondents: whole(1, MAX_SCORE_RESPONDENTS) = 1
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


# -- errors --------------------------------------------------------------------------------------------

class Problem(Response):
    """RFC 9457: what went wrong; `errors` names each field the way the forms do."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: dict[str, str] | None = None
