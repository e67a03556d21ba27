"""The key `readiness_assessments` of a cxroadmap/1 document: each question's score, when, and the evidence."""

from cxroadmap.exchangekit.parts import ExchangePart
from cxroadmap.exchangekit.reading import read_each
from cxroadmap.extensions import db
from cxroadmap.readiness.models import ReadinessAssessment
from cxroadmap.readiness.services import check_readiness_assessment

READINESS = {"question": ("text", True), "score": ("integer", True), "assessed_on": ("date", True),
             "evidence": ("text", False)}


def export_readiness_assessments(organisation, _with_answers: bool) -> dict:
    query = (ReadinessAssessment.scoped_to(organisation)
             .order_by(ReadinessAssessment.assessed_on, ReadinessAssessment.id))
    return {"readiness_assessments": [
        {"question": a.question, "score": a.score, "assessed_on": a.assessed_on.isoformat() if a.assessed_on else None,
         "evidence": a.evidence} for a in db.session.scalars(query)]}


def check_readiness_assessments(reader, document, _known) -> list:
    return read_each(reader, document, "readiness_assessments", READINESS, check_readiness_assessment)


def write_readiness_assessments(organisation, assessments: list, writing) -> dict:
    writing.insert(ReadinessAssessment, [{"organisation_id": organisation.id, **assessment}
                                         for assessment in assessments])
    return {}


# After the stage assessments, before the coalition.
PART = ExchangePart(order=-10, export=export_readiness_assessments, check=check_readiness_assessments,
                    write=write_readiness_assessments, removes=(ReadinessAssessment,))
