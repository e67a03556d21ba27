"""The API's benefit estimates of an initiative."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from cxroadmap.apikit.schemas import Response, one_of
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.benefits.models import BenefitEstimate
from cxroadmap.extensions import db
from cxroadmap.initiatives.services import initiative_by_ref
from cxroadmap.organisations.models import Organisation

bp = ApiOperations()

class Benefit(Response):
    id: int
    kind: one_of(BENEFIT_KINDS)
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


@operation(bp, "GET", "/o/<slug>/initiatives/<ref>/benefits", summary="An initiative's benefit estimates",
           tag="Benefits", response=BenefitList)
def list_benefits(organisation: Organisation, ref: str):
    initiative = initiative_by_ref(organisation, ref)
    rows = db.session.scalars(select(BenefitEstimate).where(BenefitEstimate.initiative_id == initiative.id)
                              .order_by(BenefitEstimate.id))
    return BenefitList(items=[Benefit(
        id=b.id, kind=b.kind, description=b.description, volume=b.volume, rate=b.rate, unit_value=b.unit_value,
        annual_amount=b.annual_amount, confidence=b.confidence, starts_on=b.starts_on,
        ramp_months=b.ramp_months) for b in rows])
