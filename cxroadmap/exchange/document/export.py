"""Writing an organisation as a cxroadmap/1 JSON document."""

import base64
import json

from cxroadmap.decimals import decimal_text
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import logo_of

FORMAT = "cxroadmap/1"


def _logo(organisation: Organisation) -> str | None:
    """The logo as base64 of the PNG kept (re-encoded on upload, so pixels alone), or None."""
    png = logo_of(organisation)
    return base64.b64encode(png).decode("ascii") if png else None


def _day(value):
    return value.isoformat() if value else None


def export_document(organisation: Organisation, with_answers: bool = False) -> dict:
    """The whole organisation as plain JSON values, in a stable order. The customers' survey answers and the
    contact details of follow-up cases only with_answers: they are personal, and by far the largest part."""
    parts = exchange_parts()
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
        document.update(part.export(organisation, with_answers))
        if part.lists_initiatives is not None:
            initiatives = part.lists_initiatives(organisation)
            added = _initiative_keys(organisation, initiatives, parts)
            document["initiatives"] = [added[initiative.id] for initiative in initiatives]
    return document


def _initiative_keys(organisation, initiatives, parts) -> dict[int, dict]:
    """What the parts give each initiative, in part order (the part listing them first)."""
    added: dict[int, dict] = {initiative.id: {} for initiative in initiatives}
    for part in parts:
        if part.initiatives is not None:
            for initiative_id, keys in part.initiatives(organisation, initiatives).items():
                added[initiative_id].update(keys)
    return added


def dumps(document: dict) -> str:
    """The document as UTF-8-ready JSON text: indented, letters as typed, ending in a newline."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


