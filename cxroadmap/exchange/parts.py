"""The parts of the cxroadmap/1 document the areas contribute (`ExchangePart`), in the document's order."""

from flask import Flask

from cxroadmap.areas import contributions
from cxroadmap.exchangekit.parts import ExchangePart, ListFilter, ListSheet, SheetImport, WorkbookSheet


def exchange_parts(app: Flask | None = None) -> list[ExchangePart]:
    """Every contributed part and the further parts it holds (`also`), in its place in the document (parts of
    the same order: in load order); of this app, or of the one being set up (app)."""
    parts = [each for part in contributions(ExchangePart, app) for each in (part, *part.also)]
    return sorted(parts, key=lambda part: part.order)


def own_sheets(app: Flask | None = None) -> dict[str, WorkbookSheet]:
    """The contributed sheets of the workbook that are also downloaded by themselves (those with a name), by
    name, in the parts' order."""
    return {sheet.name: sheet for part in exchange_parts(app) for sheet in part.sheets if sheet.name}


def workbook_sheet(name: str) -> WorkbookSheet:
    """The contributed sheet downloaded by itself under this name (a KeyError when none is)."""
    return own_sheets()[name]


def list_sheets(app: Flask | None = None) -> dict[str, ListSheet]:
    """The contributed sheets of the initiatives list, by name, in the parts' order."""
    return {sheet.name: sheet for part in exchange_parts(app) for sheet in part.list_sheets}


def list_filter() -> ListFilter:
    """The list whose sheets are downloaded, and how it is filtered: the one part that gives it."""
    return next(part.list_filter for part in exchange_parts() if part.list_filter is not None)


def sheet_import() -> SheetImport:
    """How a spreadsheet is imported: the one part that gives it."""
    return next(part.sheet_import for part in exchange_parts() if part.sheet_import is not None)
