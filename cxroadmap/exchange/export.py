"""Writing an organisation as a cxroadmap/1 JSON document."""

import json

from cxroadmap.benefits.services import benefits_by_initiative
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.coalition.services import teams_with_roles
from cxroadmap.decimals import decimal_text
from cxroadmap.extensions import db
from cxroadmap.initiatives.services import all_initiatives
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.models import ReadinessAssessment

FORMAT = "cxroadmap/1"


def _day(value):
    return value.isoformat() if value else None


def _all(model, organisation, *order):
    return list(db.session.scalars(model.scoped_to(organisation).order_by(*order)))


def export_document(organisation: Organisation) -> dict:
    """The whole organisation as plain JSON values, in a stable order."""
    initiatives = sorted(all_initiatives(organisation), key=lambda i: (len(i.ref), i.ref))
    benefits = benefits_by_initiative(initiatives)
    return {
        "format": FORMAT,
        "organisation": {
            "name": organisation.name,
            "slug": organisation.slug,
            "brand_promise": organisation.brand_promise,
            "currency": organisation.currency,
            "discount_rate": decimal_text(organisation.discount_rate),
            "target_stage": organisation.target_stage,
            "target_date": _day(organisation.target_date),
            "locale": organisation.locale,
        },
        "stage_assessments": [
            {"stage": a.stage, "assessed_on": _day(a.assessed_on), "assessed_by": a.assessed_by,
             "rationale": a.rationale}
            for a in _all(StageAssessment, organisation, StageAssessment.assessed_on, StageAssessment.id)
        ],
        "readiness_assessments": [
            {"question": a.question, "score": a.score, "assessed_on": _day(a.assessed_on), "evidence": a.evidence}
            for a in _all(ReadinessAssessment, organisation, ReadinessAssessment.assessed_on,
                          ReadinessAssessment.id)
        ],
        "coalition": [
            {"name": m.name, "email": m.email, "function": m.function, "title": m.title,
             "coalition_role": m.coalition_role, "active": m.active}
            for m in _all(CoalitionMember, organisation, CoalitionMember.id)
        ],
        "teams": [
            {"name": t.name, "function": t.function,
             "role_statements": [
                 {"statement": s.statement, "touchpoints": list(s.touchpoints), "logged_on": _day(s.logged_on),
                  "logged_by": s.logged_by}
                 for s in t.statements]}
            for t in sorted(teams_with_roles(organisation), key=lambda t: t.id)
        ],
        "initiatives": [_initiative(i, benefits[i.id]) for i in initiatives],
    }


def _initiative(initiative, benefits) -> dict:
    return {
        "ref": initiative.ref,
        "title": initiative.title,
        "description": initiative.description,
        "readiness_question": initiative.readiness_question,
        "owner_email": initiative.owner.email if initiative.owner else None,
        "status": initiative.status,
        "health": initiative.health,
        "progress": initiative.progress,
        "start_date": _day(initiative.start_date),
        "due_date": _day(initiative.due_date),
        "target_stage": initiative.target_stage,
        "one_off_cost": decimal_text(initiative.one_off_cost, 2),
        "annual_running_cost": decimal_text(initiative.annual_running_cost, 2),
        "archived": initiative.archived,
        "benefits": [
            {"kind": b.kind, "description": b.description, "volume": decimal_text(b.volume),
             "rate": decimal_text(b.rate), "unit_value": decimal_text(b.unit_value, 2),
             "annual_amount": decimal_text(b.annual_amount, 2), "confidence": decimal_text(b.confidence),
             "starts_on": _day(b.starts_on), "ramp_months": b.ramp_months}
            for b in benefits
        ],
    }


def dumps(document: dict) -> str:
    """The document as UTF-8-ready JSON text: indented, letters as typed, ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


