"""Roles in the CX coalition and the usual functions members come from."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

COALITION_ROLES = Choices(
    Choice("sponsor", _l("Executive sponsor"), _l("Answers for the programme at board level.")),
    Choice("lead", _l("CX lead"), _l("Runs the programme day to day.")),
    Choice("champion", _l("Champion"), _l("Carries the programme into their own function.")),
    Choice("member", _l("Member"), _l("Takes part in the coalition's work.")),
)

# Suggestions only: people may name their department as they like.
USUAL_FUNCTIONS = [
    "Sales", "Customer service", "Marketing", "Operations", "Logistics", "Finance", "IT", "HR",
    "Product", "Legal", "Procurement",
]
