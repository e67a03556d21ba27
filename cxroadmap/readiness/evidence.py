"""Evidence from data shown beside each readiness question's score: the areas above register what they measure."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from cxroadmap.organisations.models import Organisation
from cxroadmap.readiness.questions import QUESTIONS


@dataclass(frozen=True)
class Evidence:
    """One measured signal for a question: what was measured, the share found, and in words how it was found."""

    question: str
    label: str
    share: Decimal | None  # 0–1; None when there is nothing to measure yet
    detail: str
    endpoint: str | None = None  # the page that shows what lies behind it


_sources: list[Callable[[Organisation], Evidence | None]] = []


def readiness_evidence(source: Callable[[Organisation], Evidence | None]):
    """Register source(organisation) -> Evidence (or None) to be shown beside its question's score."""
    _sources.append(source)
    return source


def evidence_by_question(organisation: Organisation) -> dict[str, list[Evidence]]:
    """Each question's evidence from data, in the order its sources were registered."""
    found = {key: [] for key in QUESTIONS.keys}
    for source in _sources:
        evidence = source(organisation)
        if evidence is not None and evidence.question in found:
            found[evidence.question].append(evidence)
    return found
