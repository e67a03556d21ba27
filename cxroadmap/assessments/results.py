"""A round's results: the answers of the raters who count, summarised per item, with what they suggest."""

from dataclasses import dataclass, field

from cxroadmap.assessments.calc import ANONYMITY_THRESHOLD, Summary, by_function, suggested_stage, summarise
from cxroadmap.assessments.models import AssessmentRater, AssessmentRound
from cxroadmap.assessments.questionnaire import DIMENSIONS, DONT_KNOW, VIEW_LEVELS, VIEWS
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS
from cxroadmap.stages import STAGES

STAGE_SCALE = list(range(1, len(STAGES) + 1))
SCORE_SCALE = list(range(MAX_SCORE + 1))
VIEW_SCALE = [1, 2, 3]


@dataclass(frozen=True)
class ItemResult:
    key: str
    label: str
    summary: Summary
    points: list[str]  # the scale's labels, lowest first
    first: int  # the value of the scale's lowest point
    functions: dict[str, Summary] = field(default_factory=dict)

    def point_label(self, value) -> str:
        """The label of a point of this item's scale; a half-way median reads as the point below it."""
        if value is None:
            return "—"
        return self.points[int(value) - self.first]


@dataclass(frozen=True)
class RoundResults:
    invited: int
    answered: int
    dimensions: list[ItemResult]
    questions: list[ItemResult]
    views: list[ItemResult]
    suggested_stage: int | None
    suggested_scores: dict[str, int | None]
    comments: list[str]

    @property
    def shown(self) -> bool:
        """Whether there are enough answers to show any figure without giving someone's answer away."""
        return self.answered >= ANONYMITY_THRESHOLD

    @property
    def suggested_stage_key(self) -> str | None:
        return STAGES.keys[self.suggested_stage - 1] if self.suggested_stage else None

    @property
    def disagreements(self) -> list[ItemResult]:
        return [item for item in (*self.dimensions, *self.questions, *self.views) if item.summary.disagreement]


def value_of(item: str, answer: str) -> int | None:
    """An answer as a point on its item's scale; None for "don't know"."""
    if answer == DONT_KNOW:
        return None
    if item in DIMENSIONS:
        return STAGES.position(answer)
    if item in QUESTIONS:
        return int(answer)
    return VIEW_LEVELS[item].position(answer)


def counting(assessment_round: AssessmentRound) -> list[AssessmentRater]:
    """The raters whose answers count: they answered, and their link was not withdrawn."""
    return [r for r in assessment_round.raters if r.response is not None and not r.withdrawn]


def _item(key, label, points, scale, raters) -> ItemResult:
    pairs = [(r.function, value_of(key, r.response.answers[key])) for r in raters if key in r.response.answers]
    return ItemResult(key, str(label), summarise([v for _, v in pairs], scale), [str(p) for p in points],
                      scale[0], by_function(pairs, scale))


def round_results(assessment_round: AssessmentRound) -> RoundResults:
    raters = counting(assessment_round)
    stage_points = [s.label for s in STAGES]
    dimensions = [_item(d.key, d.label, stage_points, STAGE_SCALE, raters) for d in DIMENSIONS]
    questions = [_item(q.key, q.label, [str(n) for n in SCORE_SCALE], SCORE_SCALE, raters) for q in QUESTIONS]
    views = [_item(v.key, v.label, [level.label for level in VIEW_LEVELS[v.key]], VIEW_SCALE, raters)
             for v in VIEWS]
    pooled = [[value_of(d.key, r.response.answers[d.key]) for r in raters if d.key in r.response.answers]
              for d in DIMENSIONS]
    return RoundResults(
        invited=sum(1 for r in assessment_round.raters if not r.withdrawn), answered=len(raters),
        dimensions=dimensions, questions=questions, views=views, suggested_stage=suggested_stage(pooled),
        suggested_scores={q.key: q.summary.suggested for q in questions},
        # Sorted, so that their order says nothing about who wrote which.
        comments=sorted((r.response.comment for r in raters if r.response.comment), key=str.casefold),
    )
