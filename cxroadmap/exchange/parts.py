"""The parts of the cxroadmap/1 document the areas contribute (`ExchangePart`), in the document's order."""

from cxroadmap.areas import contributions
from cxroadmap.exchangekit.parts import ExchangePart


def exchange_parts() -> list[ExchangePart]:
    """Every contributed part, in its place in the document (areas of the same order: in load order)."""
    return sorted(contributions(ExchangePart), key=lambda part: part.order)
