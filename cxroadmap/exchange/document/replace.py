"""An organisation's content replaced by a cxroadmap/1 document, keeping the organisation itself.

Its address, members, access tokens, issued reports and audit trail stay; everything the document describes
(settings, maturity, readiness, coalition, teams, journey, KPIs, initiatives, governance, surveys, follow-up cases)
is what the document says: a document exported without the answers leaves the surveys without answers.
"""

from sqlalchemy import delete

from cxroadmap.audit.services import record
from cxroadmap.exchange.document.bulk import write_contents
from cxroadmap.exchange.document.importer import Plan, check_document, parse_text
from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation
from cxroadmap.organisations.services import remove_logo, set_logo, update_organisation


def removed_models() -> list[type]:
    """What replacing an organisation's contents deletes, in order: the parts' models, the last part's first (a
    later part may name an earlier one's rows); the database's cascades take what hangs off each (histories,
    benefits, decisions …)."""
    return [model for part in reversed(exchange_parts()) for model in part.removes]


def plan_replacement(text: str | bytes) -> Plan:
    """The document in text read and checked whole (ImportRefused lists every problem), ready to replace an
    organisation's contents; nothing is written (the views do this before their request takes the write lock)."""
    return check_document(parse_text(text), replace=True)


def replace_contents(organisation: Organisation, document: Plan | str | bytes) -> Organisation:
    """Replace the organisation's contents with a checked document (or one given as text, checked first, which
    ImportRefused refuses listing every problem); flushes, never commits."""
    plan = document if isinstance(document, Plan) else plan_replacement(document)
    values = {**plan.organisation, "slug": organisation.slug}
    for model in removed_models():
        db.session.execute(delete(model).where(model.organisation_id == organisation.id),
                           execution_options={"synchronize_session": False})
    db.session.expire_all()
    update_organisation(organisation, **values)
    if plan.logo:
        set_logo(organisation, plan.logo)
    elif plan.logo == b"":
        remove_logo(organisation)
    write_contents(organisation, plan)
    record("organisation_replaced", organisation=organisation, object_type="Organisation",
           object_id=organisation.id, object_label=organisation.name)
    db.session.flush()
    return organisation
