"""The parts of the cxroadmap/1 document the areas contribute (`ExchangePart`), in the document's order."""

from cxroadmap.areas import contributions
from cxroadmap.exchangekit.parts import ExchangePart, WorkbookSheet


def exchange_parts() -> list[ExchangePart]:
    """Every contributed part, in its place in the document (areas of the same order: in load order)."""
    return sorted(contributions(ExchangePart), key=lambda part: part.order)


def workbook_sheet(name: str) -> WorkbookSheet:
    """The contributed sheet downloaded by itself under this name (a KeyError when none is)."""
    return next(sheet for part in exchange_parts() for sheet in part.sheets if sheet.name == name)
