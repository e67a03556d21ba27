"""Writing an organisation as a cxroadmap/1 JSON document."""

import base64
import json

from cxroadmap.benefits.services import actuals_of, benefits_by_initiative
from cxroadmap.decimals import decimal_text
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.extensions import db
from cxroadmap.initiatives.services import all_initiatives
from cxroadmap.initiatives.tracking import all_history, dependencies, milestones_of
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import logo_of

FORMAT = "cxroadmap/1"


def _logo(organisation: Organisation) -> str | None:
    """The logo as base64 of the PNG kept (re-encoded on upload, so pixels alone), or None."""
    png = logo_of(organisation)
    return base64.b64encode(png).decode("ascii") if png else None


def _day(value):
    return value.isoformat() if value else None


def _all(model, organisation, *order):
    return list(db.session.scalars(model.scoped_to(organisation).order_by(*order)))


def export_document(organisation: Organisation, with_answers: bool = False) -> dict:
    """The whole organisation as plain JSON values, in a stable order. The customers' survey answers and the
    contact details of follow-up cases only with_answers: they are personal, and by far the largest part."""
    initiatives = sorted(all_initiatives(organisation), key=lambda i: (len(i.ref), i.ref))
    benefits = benefits_by_initiative(initiatives)
    governance = _governance(organisation, initiatives, benefits)
    parts = exchange_parts()
    added = _initiative_keys(organisation, initiatives, parts)
    document = {
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
            "logo": _logo(organisation),
        },
    }
    for part in parts:
        if part.order < 0:
            document.update(part.export(organisation, with_answers))
    document |= {
        "initiatives": [{**_initiative(i, benefits[i.id], governance), **added[i.id]} for i in initiatives],
    }
    for part in parts:
        if part.order >= 0:
            document.update(part.export(organisation, with_answers))
    return document


def _initiative_keys(organisation, initiatives, parts) -> dict[int, dict]:
    """What the parts add to each initiative, in part order."""
    added: dict[int, dict] = {initiative.id: {} for initiative in initiatives}
    for part in parts:
        if part.initiatives is not None:
            for initiative_id, keys in part.initiatives(organisation, initiatives).items():
                added[initiative_id].update(keys)
    return added


def _governance(organisation, initiatives, benefits) -> dict:
    """History, milestones, dependencies and realised amounts, each in a few queries."""
    every_benefit = [b for items in benefits.values() for b in items]
    waits: dict[int, list[str]] = {}
    for dependency in dependencies(organisation):
        waits.setdefault(dependency.initiative_id, []).append(dependency.depends_on.ref)
    return {"history": all_history(initiatives), "milestones": milestones_of(initiatives),
            "actuals": actuals_of(every_benefit), "waits": waits}


def _initiative(initiative, benefits, governance) -> dict:
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
             "starts_on": _day(b.starts_on), "ramp_months": b.ramp_months,
             "actuals": [{"month": _day(a.month), "amount": decimal_text(a.amount, 2), "note": a.note}
                         for a in governance["actuals"][b.id]]}
            for b in benefits
        ],
        "status_updates": [
            {"posted_on": _day(u.posted_on), "author": u.author, "status": u.status, "health": u.health,
             "progress": u.progress, "note": u.note}
            for u in governance["history"][initiative.id]
        ],
        "milestones": [
            {"title": m.title, "due_on": _day(m.due_on), "original_due_on": _day(m.original_due_on),
             "done_on": _day(m.done_on),
             "slips": [{"moved_on": _day(s.moved_on), "from_date": _day(s.from_date), "to_date": _day(s.to_date),
                        "author": s.author} for s in m.slips]}
            for m in governance["milestones"][initiative.id]
        ],
        "waits_for": sorted(governance["waits"].get(initiative.id, []), key=lambda ref: (len(ref), ref)),
    }


def dumps(document: dict) -> str:
    """The document as UTF-8-ready JSON text: indented, letters as typed, ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


