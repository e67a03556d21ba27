"""The API's initiatives: the list as the page filters it, one initiative, creating, changing, archiving it, its
status updates and its milestones."""

from datetime import date
from decimal import Decimal
from typing import Annotated, Literal

from flask import g
from pydantic import Field
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from cxroadmap.access import require
from cxroadmap.apikit.resources import api_url, check_if_match, etag, paged
from cxroadmap.apikit.schemas import (
    EMAIL,
    PLAIN,
    Day,
    Moment,
    Money,
    Page,
    Percentage,
    Ref,
    Request,
    Response,
    Stage,
    Text,
    line,
    one_of,
)
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.coalition.services import normal_email, owner_by_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.initiatives import models, tracking
from cxroadmap.initiatives import policy as initiative_policy
from cxroadmap.initiatives import services as initiatives
from cxroadmap.initiatives.services import SORTS
from cxroadmap.initiatives.states import HEALTHS, STATUSES
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import QUESTIONS

bp = ApiOperations()

Status = one_of(STATUSES)
Health = one_of(HEALTHS)
Question = one_of(QUESTIONS)


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


class Milestone(Response):
    id: int
    title: str
    due_on: date
    original_due_on: date
    done_on: date | None
    slips: int


class MilestoneList(Response):
    items: list[Milestone]


# -- initiatives ---------------------------------------------------------------------------------------

def _initiative(initiative: models.Initiative) -> Initiative:
    return Initiative(
        ref=initiative.ref, url=api_url(f"/o/{g.organisation.slug}/initiatives/{initiative.ref}"),
        title=initiative.title, description=initiative.description,
        readiness_question=initiative.readiness_question,
        owner=(initiative.owner.email or initiative.owner.name) if initiative.owner else None,
        status=initiative.status, health=initiative.health, progress=initiative.progress,
        start_date=initiative.start_date, due_date=initiative.due_date, target_stage=initiative.target_stage,
        one_off_cost=initiative.one_off_cost, annual_running_cost=initiative.annual_running_cost,
        archived=initiative.archived, version=initiative.version, updated_by=initiative.updated_by,
        updated_at=initiative.updated_at)


def _find(organisation: Organisation, ref: str) -> models.Initiative:
    return initiatives.initiative_by_ref(organisation, ref)


@operation(bp, "GET", "/o/<slug>/initiatives", summary="Initiatives, filtered and sorted as on the page",
           tag="Initiatives", query=InitiativeQuery, response=InitiativeList, headers=["Link"])
def list_initiatives(organisation: Organisation, query: InitiativeQuery):
    owner_id = None
    if query.owner:
        owner = db.session.scalar(CoalitionMember.scoped_to(organisation).where(
            CoalitionMember.email == normal_email(query.owner)).limit(1))
        owner_id = owner.id if owner else -1
    wanted = initiatives.InitiativeFilter(question=query.question, status=query.status, health=query.health,
                                          owner_id=owner_id, archive=query.archive, text=query.q, sort=query.sort,
                                          descending=query.dir == "desc")
    rows, headers = paged(initiatives.initiatives_query(organisation, wanted), query)
    return InitiativeList(items=[_initiative(i) for i in rows]), headers


@operation(bp, "POST", "/o/<slug>/initiatives", summary="Create an initiative", tag="Initiatives",
           role=initiative_policy.CREATE, body=InitiativeCreate, response=Initiative, status=201)
def create_initiative(organisation: Organisation, body: InitiativeCreate):
    values = body.model_dump()
    values["owner"] = owner_by_email(organisation, values.pop("owner"))
    initiative = initiatives.create_initiative(organisation, **values)
    return _initiative(initiative), {"Location": api_url(f"/o/{organisation.slug}/initiatives/{initiative.ref}"),
                                     "ETag": etag(initiative)}


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>", summary="One initiative", tag="Initiatives",
           response=Initiative, versioned=True)
def get_initiative(organisation: Organisation, ref: str):
    initiative = _find(organisation, ref)
    return _initiative(initiative), {"ETag": etag(initiative)}


@operation(bp, "PATCH", "/o/<slug>/initiatives/<ref>", summary="Change an initiative's fields",
           tag="Initiatives", role=initiative_policy.EDIT, body=InitiativeUpdate, response=Initiative,
           versioned=True)
def update_initiative(organisation: Organisation, ref: str, body: InitiativeUpdate):
    """Only the fields sent change. Send the ETag you read as If-Match: a change made since is refused (412)."""
    initiative = _find(organisation, ref)
    check_if_match(initiative, initiative.ref)
    fields = body.model_dump(exclude_unset=True)
    note = fields.pop("note", "")
    for required in ("title", "readiness_question", "status", "health", "progress", "one_off_cost",
                     "annual_running_cost"):
        if required in fields and fields[required] is None:
            raise DomainError({required: _("This field is required.")})
    if "owner" in fields:
        fields["owner"] = owner_by_email(organisation, fields["owner"])
    initiatives.update_initiative(organisation, initiative, note=note, **fields)
    return _initiative(initiative), {"ETag": etag(initiative)}


def _archive(organisation: Organisation, ref: str, archived: bool):
    initiative = _find(organisation, ref)
    check_if_match(initiative, initiative.ref)
    initiatives.set_archived(initiative, archived)
    return _initiative(initiative), {"ETag": etag(initiative)}


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/archive", summary="Archive an initiative", tag="Initiatives",
           role=initiative_policy.ARCHIVE, response=Initiative, versioned=True)
def archive_initiative(organisation: Organisation, ref: str):
    return _archive(organisation, ref, True)


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/restore", summary="Restore an archived initiative",
           tag="Initiatives", role=initiative_policy.ARCHIVE, response=Initiative, versioned=True)
def restore_initiative(organisation: Organisation, ref: str):
    return _archive(organisation, ref, False)


# -- status updates and milestones ---------------------------------------------------------------------

def _update(update: models.StatusUpdate) -> StatusUpdate:
    return StatusUpdate(id=update.id, posted_on=update.posted_on, author=update.author, status=update.status,
                        health=update.health, progress=update.progress, note=update.note)


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/status-updates", summary="An initiative's status history",
           tag="Status updates", query=Page, response=StatusUpdateList, headers=["Link"])
def list_status_updates(organisation: Organisation, ref: str, query: Page):
    initiative = _find(organisation, ref)
    update = models.StatusUpdate
    select_updates = select(update).where(update.initiative_id == initiative.id).order_by(
        update.posted_on.desc(), update.posted_at.desc(), update.id.desc())
    rows, headers = paged(select_updates, query)
    return StatusUpdateList(items=[_update(u) for u in rows]), headers


@operation(bp, "POST", "/o/<slug>/initiatives/<ref>/status-updates", summary="Post a status update",
           tag="Status updates", role=initiative_policy.POST_UPDATE, body=StatusUpdateCreate,
           response=StatusUpdate, status=201)
def post_status_update(organisation: Organisation, ref: str, body: StatusUpdateCreate):
    """The initiative's status, health and progress follow; the note says why. Steering posts on any initiative,
    a contributor on those they own."""
    initiative = _find(organisation, ref)
    require(initiative_policy.POST_UPDATE, initiative)
    update = tracking.post_status_update(organisation, initiative, **body.model_dump())
    return _update(update), {}


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/milestones", summary="An initiative's milestones",
           tag="Milestones", response=MilestoneList)
def list_milestones(organisation: Organisation, ref: str):
    initiative = _find(organisation, ref)
    milestone = models.Milestone
    rows = db.session.scalars(select(milestone).where(milestone.initiative_id == initiative.id)
                              .options(selectinload(milestone.slips)).order_by(milestone.due_on, milestone.id))
    return MilestoneList(items=[Milestone(
        id=m.id, title=m.title, due_on=m.due_on, original_due_on=m.original_due_on, done_on=m.done_on,
        slips=len(m.slips)) for m in rows])
