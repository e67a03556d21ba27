"""The three readiness questions every CX strategy must answer, and the 0–4 score scale."""

from cxroadmap.choices import Choice, Choices

QUESTIONS = Choices(
    Choice("know_customers", "Do we know our customers?",
           "Who the customers are, what they value and expect, drawn from both operational data (orders, "
           "contacts, delivery times) and experience data (NPS, CSAT, CES, reviews)."),
    Choice("know_experience", "Do we know what their experience should be?",
           "The experience the organisation means to deliver at each stage of the journey, and where "
           "today's perception falls short of what customers expect."),
    Choice("know_roles", "Does everyone know their role in delivering it?",
           "Each team knows and records its part in keeping the brand promise and owns its touchpoints."),
)

SHORT_LABELS = {
    "know_customers": "Know our customers",
    "know_experience": "Know the experience",
    "know_roles": "Know our roles",
}

MAX_SCORE = 4
SCORE_LABELS = {
    0: "Not started",
    1: "Initial",
    2: "Partly answered",
    3: "Largely answered",
    4: "Fully answered",
}
