"""The event of assessment rounds: a round confirmed, found in what a flush writes."""

from sqlalchemy import inspect, select

from cxroadmap.assessments.models import AssessmentRound
from cxroadmap.i18n import _l
from cxroadmap.mail import absolute_url
from cxroadmap.notifications.events import Detection, EventKind, Found
from cxroadmap.organisations.models import Organisation


def _was_confirmed_now(session, assessment_round: AssessmentRound) -> bool:
    history = inspect(assessment_round).attrs["confirmed_on"].history
    if not history.added or history.added[0] is None:
        return False
    if history.deleted:
        return history.deleted[0] is None
    before = session.connection().scalar(select(AssessmentRound.confirmed_on)
                                         .where(AssessmentRound.id == assessment_round.id))
    return before is None


def _before(session) -> list:
    return [obj for obj in session.dirty
            if isinstance(obj, AssessmentRound) and obj.id is not None and _was_confirmed_now(session, obj)]


def _event(assessment_round: AssessmentRound) -> Found:
    def data(organisation: Organisation) -> dict:
        return {"assessment": {
            "id": assessment_round.id, "title": assessment_round.title, "stage": assessment_round.confirmed_stage,
            "confirmed_on": assessment_round.confirmed_on.isoformat(), "confirmed_by": assessment_round.confirmed_by,
            "url": absolute_url("assessments.show", slug=organisation.slug, round_id=assessment_round.id)}}
    return Found(assessment_round.organisation_id, "assessment.confirmed", data)


CONFIRMED = Detection(before=_before, after=lambda session, notes: [_event(obj) for obj in notes])

EVENT_KINDS = (EventKind("assessment.confirmed", _l("An assessment round was confirmed"), detect=CONFIRMED),)
