"""What a rater is asked: four dimensions with one description per stage, the readiness questions, two views."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l
from cxroadmap.readiness.questions import MAX_SCORE, QUESTIONS, SCORE_LABELS
from cxroadmap.stages import EXPERIENCE_LEVELS, SERVICE_POSTURES, STAGES

DONT_KNOW = "dont_know"

DIMENSIONS = Choices(
    Choice("leadership", _l("Purposeful leadership"), _l("Do our leaders act on customer experience, consistently?")),
    Choice("brand_values", _l("Brand promise and values"), _l("Is the brand promise defined, and is it lived?")),
    Choice("engagement", _l("Employees' engagement"), _l("Do our people know their part, and play it?")),
    Choice("customer_insight", _l("Customer insight"),
           _l("Is what customers tell us gathered and acted on across the organisation?")),
)

# One description per stage (ignore … embed) for each dimension, written from the stage descriptions.
STAGE_DESCRIPTIONS = {
    "leadership": {
        "ignore": _l("Leaders see customer experience as nobody's business in particular; it is not on their "
                     "agenda."),
        "explore": _l("A few senior leaders are asking what a better customer experience could bring and what it "
                      "would cost."),
        "mobilise": _l("The leadership team has committed to it, appointed a sponsor and formed a "
                       "cross-functional coalition."),
        "operationalise": _l("Leaders fund process changes that come from customer insight and review CX "
                             "measures regularly."),
        "align": _l("Leaders hire, appraise and reward on customer-centred behaviour; setbacks still happen "
                    "but are dealt with."),
        "embed": _l("Every leadership decision weighs its effect on customers, as a matter of course."),
    },
    "brand_values": {
        "ignore": _l("There is no brand promise to customers beyond marketing slogans."),
        "explore": _l("We are asking what we want to promise customers and how far we are from keeping it."),
        "mobilise": _l("A brand promise is written down and the coalition is mapping where the journey breaks "
                       "it."),
        "operationalise": _l("Processes are being redesigned so that the promise is kept at the touchpoints "
                             "that matter."),
        "align": _l("Teams know the promise and are measured on keeping it; now and then it is still broken."),
        "embed": _l("The promise is kept consistently; customers would describe us the way we describe "
                    "ourselves."),
    },
    "engagement": {
        "ignore": _l("Employees do their tasks; how customers experience the result is not their concern."),
        "explore": _l("Some managers wonder how their people could contribute to a better customer experience."),
        "mobilise": _l("Champions from several functions work in the coalition; most employees have yet to "
                       "hear of it."),
        "operationalise": _l("The coalition is drawing the whole workforce in; teams are writing down their role "
                             "in the brand promise."),
        "align": _l("Hiring, performance reviews and incentives reinforce customer-centred work; most people "
                    "know their role."),
        "embed": _l("Everyone knows the part they play for customers and plays it without being asked."),
    },
    "customer_insight": {
        "ignore": _l("We hardly measure how customers experience us; complaints are handled one by one."),
        "explore": _l("We are looking into which customer data we have and what it could tell us."),
        "mobilise": _l("We are mapping the customer journey and starting to collect feedback (NPS, CSAT) at key "
                       "touchpoints."),
        "operationalise": _l("Operational and experience data are combined and used to redesign processes."),
        "align": _l("Customer insight reaches every function and shapes targets; some gaps in acting on it "
                    "remain."),
        "embed": _l("Real-time feedback across the journey is acted on every day, everywhere."),
    },
}

VIEWS = Choices(
    Choice("experience", _l("The experience we deliver"), _l("Which comes closest to the experience customers "
                                                              "get from us today?")),
    Choice("service", _l("Our service posture"), _l("When something goes wrong for a customer, what usually "
                                                     "happens?")),
)
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
