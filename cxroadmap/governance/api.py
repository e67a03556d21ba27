"""The API's steering meetings with their decisions, and the actions owed."""

from datetime import date
from typing import Literal

from flask import g
from sqlalchemy.orm import joinedload, selectinload

from cxroadmap.apikit.resources import api_url, paged
from cxroadmap.apikit.schemas import Page, Response
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.governance import models
from cxroadmap.governance.models import ActionItem, SteeringMeeting
from cxroadmap.governance.services import meeting_in
from cxroadmap.organisations.models import Organisation

bp = ApiOperations()


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


def _meeting(meeting: SteeringMeeting) -> Meeting:
    return Meeting(
        id=meeting.id, url=api_url(f"/o/{g.organisation.slug}/meetings/{meeting.id}"), held_on=meeting.held_on,
        title=meeting.title, attendees=[m.name for m in meeting.attendees], agenda=[i.ref for i in meeting.agenda],
        other_items=meeting.other_item_lines, minutes=meeting.minutes,
        decisions=[Decision(id=d.id, text=d.text, initiatives=[i.ref for i in d.initiatives])
                   for d in meeting.decisions])


@operation(bp, "GET", "/o/<slug>/meetings", summary="Steering meetings with their decisions, latest first",
           tag="Meetings", query=Page, response=MeetingList, headers=["Link"])
def list_meetings(organisation: Organisation, query: Page):
    meetings = (SteeringMeeting.scoped_to(organisation)
                .options(selectinload(SteeringMeeting.attendees), selectinload(SteeringMeeting.agenda),
                         selectinload(SteeringMeeting.decisions).selectinload(models.Decision.initiatives))
                .order_by(SteeringMeeting.held_on.desc(), SteeringMeeting.id.desc()))
    rows, headers = paged(meetings, query)
    return MeetingList(items=[_meeting(m) for m in rows]), headers


@operation(bp, "GET", "/o/<slug>/meetings/<int:meeting_id>", summary="One meeting with its decisions",
           tag="Meetings", response=Meeting)
def get_meeting(organisation: Organisation, meeting_id: int):
    return _meeting(meeting_in(organisation, meeting_id))


@operation(bp, "GET", "/o/<slug>/actions", summary="Actions owed, soonest due first", tag="Meetings",
           query=ActionQuery, response=ActionList, headers=["Link"])
def list_actions(organisation: Organisation, query: ActionQuery):
    actions = (ActionItem.scoped_to(organisation)
               .options(joinedload(ActionItem.owner), joinedload(ActionItem.initiative))
               .order_by(ActionItem.due_on.is_(None), ActionItem.due_on, ActionItem.id))
    if query.status != "all":
        actions = actions.where(ActionItem.status == query.status)
    rows, headers = paged(actions, query)
    return ActionList(items=[Action(
        id=a.id, title=a.title, owner=a.owner.name if a.owner else None, due_on=a.due_on, status=a.status,
        done_on=a.done_on, initiative=a.initiative.ref if a.initiative else None, meeting_id=a.meeting_id)
        for a in rows]), headers
