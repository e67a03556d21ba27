"""The key `stage_assessments` of a cxroadmap/1 document: where the organisation stood, when, and why."""

from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.exchangekit.reading import read_each
from cxroadmap.extensions import db
from cxroadmap.maturity.models import StageAssessment
from cxroadmap.maturity.services import check_stage_assessment

STAGE = {"stage": ("text", True), "assessed_on": ("date", True), "assessed_by": ("text", False),
         "rationale": ("text", False)}


def export_stage_assessments(organisation, _with_answers: bool) -> dict:
    query = StageAssessment.scoped_to(organisation).order_by(StageAssessment.assessed_on, StageAssessment.id)
    return {"stage_assessments": [
        {"stage": a.stage, "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
         "assessed_by": a.assessed_by, "rationale": a.rationale} for a in db.session.scalars(query)]}


def check_stage_assessments(reader, document, _known) -> list:
    return read_each(reader, document, "stage_assessments", STAGE, check_stage_assessment)


def write_stage_assessments(organisation, stages: list, writing) -> dict:
    writing.insert(StageAssessment, [{"organisation_id": organisation.id, **stage} for stage in stages])
    return {}


# Right after the organisation, before the readiness assessments.
PART = ExchangePart(order=-20, export=export_stage_assessments, check=check_stage_assessments,
                    write=write_stage_assessments, removes=(StageAssessment,))
