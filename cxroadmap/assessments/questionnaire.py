"""What a rater is asked: four dimensions with one description per stage, the readiness questions, two views."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import Texts, texts_beside
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS, SCORE_LABELS
from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES

DONT_KNOW = "dont_know"

TEXTS_FILE = texts_beside(__file__)
DIMENSIONS = Choices.of(TEXTS_FILE["DIMENSIONS"])

# One description per stage (ignore … embed) for each dimension, written from the stage descriptions.
STAGE_DESCRIPTIONS = {dimension: Texts(stages) for dimension, stages in TEXTS_FILE["STAGE_DESCRIPTIONS"].items()}

VIEWS = Choices.of(TEXTS_FILE["VIEWS"])
VIEW_LEVELS = {"experience": EXPERIENCE_LEVELS, "service": SERVICE_POSTURES}


def stage_options(dimension: str) -> list[tuple[str, str, str]]:
    """(stage key, stage label, this dimension's description of it) for the six stages, in order."""
    return [(stage.key, stage.label, STAGE_DESCRIPTIONS[dimension][stage.key]) for stage in STAGES]


def allowed_values(item: str) -> set[str]:
    """Every value an answer to item may take (don't know included); an empty set for an unknown item."""
    if item in DIMENSIONS:
        values = set(STAGES.keys)
    elif item in QUESTIONS:
        values = {str(score) for score in range(MAX_SCORE + 1)}
    elif item in VIEWS:
        values = set(VIEW_LEVELS[item].keys)
    else:
        return set()
    return values | {DONT_KNOW}


def items() -> list[str]:
    """Every item of the questionnaire, in the order it is asked."""
    return [*DIMENSIONS.keys, *QUESTIONS.keys, *VIEWS.keys]


def kind_of(item: str) -> str:
    """'dimension', 'question' or 'view': the exchange names an answer by the kind of item it answers."""
    if item in DIMENSIONS:
        return "dimension"
    if item in QUESTIONS:
        return "question"
    return "view"


def score_options() -> list[tuple[str, str]]:
    return [(str(score), f"{score} – {label}") for score, label in SCORE_LABELS.items()]
