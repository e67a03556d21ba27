"""The three readiness questions every CX strategy must answer, and the 0–4 score scale."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

QUESTIONS = Choices(
    Choice("know_customers", _l("Do we know our customers?"),
           _l("Who the customers are, what they value and expect, drawn from both operational data (orders, "
              "contacts, delivery times) and experience data (NPS, CSAT, CES, reviews).")),
    Choice("know_experience", _l("Do we know what their experience should be?"),
           _l("The experience the organisation means to deliver at each stage of the journey, and where "
              "today's perception falls short of what customers expect.")),
    Choice("know_roles", _l("Does everyone know their role in delivering it?"),
           _l("Each team knows and records its part in keeping the brand promise and owns its touchpoints.")),
)

SHORT_LABELS = {
    "know_customers": _l("Know our customers"),
    "know_experience": _l("Know the experience"),
    "know_roles": _l("Know our roles"),
}

MAX_SCORE = 4
SCORE_LABELS = {
    0: _l("Not started"),
    1: _l("Initial"),
    2: _l("Partly answered"),
    3: _l("Largely answered"),
    4: _l("Fully answered"),
}
