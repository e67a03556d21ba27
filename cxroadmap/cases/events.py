"""The events of follow-up cases: a case opened, and a case closed (resolved, or found not resolvable)."""

from sqlalchemy import inspect

from cxroadmap.cases.kinds import CLOSED
from cxroadmap.cases.models import Case
from cxroadmap.i18n import _l
from cxroadmap.mail import absolute_url
from cxroadmap.notifications.events import Detection, EventKind, Found
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import aware


def _closing(session) -> list:
    """The cases this flush closes: their status goes from open to closed."""
    closing = []
    for obj in session.dirty:
        if isinstance(obj, Case) and obj.status in CLOSED:
            history = inspect(obj).attrs.status.history
            if history.has_changes() and not any(old in CLOSED for old in history.deleted):
                closing.append(obj)
    return closing


def case_data(case: Case, organisation: Organisation) -> dict:
    return {"id": case.id, "status": case.status, "measure": case.measure, "score": case.score, "gap": case.gap,
            "touchpoint": case.touchpoint.key if case.touchpoint else None,
            "team": case.team.name if case.team else None,
            "due_at": aware(case.due_at).isoformat() if case.due_at else None,
            "root_cause": case.root_cause or None,
            "url": absolute_url("cases.show", slug=organisation.slug, case_id=case.id)}


def _found(session, closing: list) -> list[Found]:
    def event(name: str, case: Case) -> Found:
        return Found(case.organisation_id, name, lambda organisation: case_data(case, organisation))

    found = [event("case.opened", obj) for obj in session.new if isinstance(obj, Case)]
    return found + [event("case.resolved", case) for case in closing]


CASES = Detection(before=_closing, after=_found)

EVENT_KINDS = (
    EventKind("case.opened", _l("A follow-up case was opened by an unhappy answer"), detect=CASES),
    EventKind("case.resolved", _l("A follow-up case was closed (resolved or not resolvable)"), detect=CASES),
)
