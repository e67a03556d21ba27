"""The API's follow-up cases: the list as the page filters it, one case, and working it (PATCH)."""

from datetime import datetime
from typing import Literal

from pydantic import Field
from sqlalchemy import select

from cxroadmap.access import require
from cxroadmap.apikit.problems import ApiProblem
from cxroadmap.apikit.resources import check_if_match, etag, paged
from cxroadmap.apikit.schemas import EMAIL, Moment, Page, Ref, Request, Response, Text, line, one_of
from cxroadmap.apikit.spec import LARGEST_ID, PREFIX, ApiOperations, operation
from cxroadmap.cases import services
from cxroadmap.cases.kinds import CASE_STATUSES
from cxroadmap.cases.mails import update_case_and_tell
from cxroadmap.cases.models import Case
from cxroadmap.cases.policy import WORK
from cxroadmap.coalition.services import owner_by_email
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.journey.models import Touchpoint
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import get_in_organisation
from cxroadmap.timeutil import utcnow

bp = ApiOperations()

CaseStatus = one_of(CASE_STATUSES)


class FollowUpCase(Response):
    id: int
    url: str
    status: CaseStatus
    team: str | None = Field(description="The team that owns the touchpoint; none: the CX lead's case.")
    touchpoint: str | None = Field(description="The touchpoint's key; none: an answer about the relationship.")
    owner: str | None = Field(description="The owner's email (a coalition member).")
    measure: str | None
    score: int | None
    gap: int | None
    comment: str
    language: str
    contact_name: str | None = Field(description="Only when the customer agreed to be contacted.")
    contact: str | None = Field(description="Only when the customer agreed to be contacted.")
    outcome: str
    root_cause: str
    notes: str
    initiative: str | None = Field(description="The ref of the initiative that fixes the cause.")
    opened_at: Moment
    due_at: Moment
    followed_up_at: Moment | None
    closed_at: Moment | None
    overdue: bool
    version: int


class FollowUpCaseList(Response):
    items: list[FollowUpCase]


class CaseQuery(Page):
    status: Literal["open", *CASE_STATUSES.keys] | None = Field(
        default=None, description="A status, or open (new or contacted).")
    touchpoint: line(64) | None = Field(default=None, description="A touchpoint's key.")
    overdue: bool = Field(default=False, description="Only cases nobody followed up by their due moment.")


class CaseUpdate(Request):
    """Only the fields given change."""

    status: CaseStatus | None = None
    owner: EMAIL | None = None
    outcome: Text | None = None
    root_cause: line(64) | None = None
    notes: Text | None = None
    initiative: Ref | None = None


def _find(organisation: Organisation, number: str) -> Case:
    """The case numbered so (#12 is 12); any other text or number is not there (404)."""
    if not number.isascii() or not number.isdigit() or not 1 <= int(number) <= LARGEST_ID:
        raise ApiProblem(404, _("There is nothing at this address, or not for this token."))
    return get_in_organisation(organisation, Case, id=int(number))


def _case(case: Case, now: datetime) -> FollowUpCase:
    return FollowUpCase(
        id=case.id, url=f"{PREFIX}/o/{case.organisation.slug}/cases/{case.id}", status=case.status,
        team=case.team.name if case.team else None, touchpoint=case.touchpoint.key if case.touchpoint else None,
        owner=case.owner.email if case.owner else None, measure=case.measure, score=case.score, gap=case.gap,
        comment=case.comment, language=case.language, contact_name=case.contact_name, contact=case.contact,
        outcome=case.outcome, root_cause=case.root_cause, notes=case.notes,
        initiative=case.initiative.ref if case.initiative else None, opened_at=case.opened_at, due_at=case.due_at,
        followed_up_at=case.followed_up_at, closed_at=case.closed_at, overdue=case.overdue(now),
        version=case.version)


@operation(bp, "GET", "/o/<slug>/cases", summary="Follow-up cases, overdue first, filtered as on the page",
           tag="Follow-up cases", query=CaseQuery, response=FollowUpCaseList, headers=["Link"])
def list_cases(organisation: Organisation, query: CaseQuery):
    now = utcnow()
    touchpoint_id = None
    if query.touchpoint:
        touchpoint_id = db.session.scalar(select(Touchpoint.id).where(
            Touchpoint.organisation_id == organisation.id, Touchpoint.key == query.touchpoint)) or -1
    wanted = services.CaseFilter(status=query.status or "", touchpoint_id=touchpoint_id, overdue=query.overdue)
    rows, headers = paged(services.cases_query(organisation, wanted, now), query)
    return FollowUpCaseList(items=[_case(case, now) for case in rows]), headers


@operation(bp, "GET", "/o/<slug>/cases/<number>", summary="One follow-up case", tag="Follow-up cases",
           response=FollowUpCase, versioned=True)
def get_case(organisation: Organisation, number: str):
    case = _find(organisation, number)
    return _case(case, utcnow()), {"ETag": etag(case)}


@operation(bp, "PATCH", "/o/<slug>/cases/<number>", summary="Work a follow-up case", tag="Follow-up cases",
           role=WORK, body=CaseUpdate, response=FollowUpCase, versioned=True)
def update_case(organisation: Organisation, number: str, body: CaseUpdate):
    """Checked as the case page checks it: closing needs an outcome, a closed case's status no longer changes.
    Send the ETag you read as If-Match: a change made since is refused (412)."""
    case = _find(organisation, number)
    require(WORK, case)
    check_if_match(case, f"#{case.id}")
    fields = body.model_dump(exclude_unset=True)
    if "status" in fields and fields["status"] is None:
        raise DomainError({"status": _("This field is required.")})
    owner = owner_by_email(organisation, fields["owner"]) if "owner" in fields else case.owner
    update_case_and_tell(
        organisation, case, status=fields.get("status") or case.status, owner_id=owner.id if owner else None,
        outcome=fields.get("outcome", case.outcome) or "", root_cause=fields.get("root_cause", case.root_cause) or "",
        notes=fields.get("notes", case.notes) or "",
        initiative_ref=fields.get("initiative", case.initiative.ref if case.initiative else "") or "",
        seen_status=None)
    db.session.refresh(case)
    return _case(case, utcnow()), {"ETag": etag(case)}
