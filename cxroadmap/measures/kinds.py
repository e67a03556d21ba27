"""The enumerations of KPIs: kind of data, measure, direction, status and trend, each with its label."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

KPI_KINDS = Choices(
    Choice("o_data", _l("O-data"), _l("Operational: deliveries, contacts, lead times, complaints …")),
    Choice("x_data", _l("X-data"), _l("Experience: NPS, CSAT, CES, reviews, sentiment …")),
)

# The survey measures know their scale; the others are numbers in the KPI's unit.
MEASURES = Choices(
    Choice("nps", _l("NPS"), _l("Net Promoter Score: answers 0–10, promoters minus detractors, −100 to 100.")),
    Choice("csat", _l("CSAT"), _l("Customer satisfaction: answers 1–5, share of 4 and 5 as a percentage.")),
    Choice("ces", _l("CES"), _l("Customer effort: answers 1–7, the mean.")),
    Choice("percentage", _l("Percentage")),
    Choice("count", _l("Count")),
    Choice("amount", _l("Amount")),
    Choice("days", _l("Days")),
    Choice("score", _l("Score")),
)
SURVEY_MEASURES = ("nps", "csat", "ces")

DIRECTIONS = Choices(
    Choice("up", _l("Higher is better")),
    Choice("down", _l("Lower is better")),
)

KPI_STATUSES = Choices(
    Choice("on_track", _l("On track"),
           _l("At or beyond where the line from baseline to target says it should be today.")),
    Choice("at_risk", _l("At risk"), _l("Has covered at least half of the movement expected by today.")),
    Choice("off_track", _l("Off track"), _l("Has covered less than half of the movement expected by today.")),
    Choice("no_data", _l("No data"), _l("No reading yet.")),
)

TRENDS = Choices(
    Choice("improving", _l("Improving")),
    Choice("steady", _l("Steady")),
    Choice("worsening", _l("Worsening")),
    # A survey KPI's last change, tested at 95 % (measures.scores.honest_trend).
    Choice("no_clear_change", _l("No clear change"),
           _l("The last change is within what chance alone gives at 95 %.")),
    Choice("too_few_answers", _l("Too few answers to conclude"), _l("A reading rests on fewer than 30 answers.")),
    Choice("untested", _l("Change not tested"),
           _l("The last change cannot be tested: a CES needs its answers' spread, and every reading its number "
              "of answers.")),
)
