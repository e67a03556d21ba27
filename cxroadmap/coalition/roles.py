"""Roles in the CX coalition and the usual functions members come from."""

from cxroadmap.choices import Choice, Choices

COALITION_ROLES = Choices(
    Choice("sponsor", "Executive sponsor", "Answers for the programme at board level."),
    Choice("lead", "CX lead", "Runs the programme day to day."),
    Choice("champion", "Champion", "Carries the programme into their own function."),
    Choice("member", "Member", "Takes part in the coalition's work."),
)

# Suggestions only: people may name their department as they like.
USUAL_FUNCTIONS = [
    "Sales", "Customer service", "Marketing", "Operations", "Logistics", "Finance", "IT", "HR",
    "Product", "Legal", "Procurement",
]
