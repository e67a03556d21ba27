"""Roles in the CX coalition and the usual functions members come from."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

COALITION_ROLES = Choices.of(texts_beside(__file__)["COALITION_ROLES"])

# Suggestions only: people may name their department as they like.
USUAL_FUNCTIONS = [
    "Sales", "Customer service", "Marketing", "Operations", "Logistics", "Finance", "IT", "HR",
    "Product", "Legal", "Procurement",
]
