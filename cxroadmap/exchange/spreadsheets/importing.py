"""Importing a spreadsheet into the organisation: checked whole first, then one write, as the part that gives the
import (`SheetImport`) reads it."""

from cxroadmap.exchange.parts import sheet_import
from cxroadmap.organisations.models import Organisation


def check_sheet(organisation: Organisation, tables: list, language: str):
    """Check all of the tables read from a file (files.read_tables) against the organisation: a plan
    whose `problems` name every one; nothing is written."""
    return sheet_import().check(organisation, tables, language)


def write_sheet(organisation: Organisation, plan):
    """Carry out a plan without problems, all of it or (on a refusal the checks missed) none of it."""
    return sheet_import().write(organisation, plan)


def preview(plan) -> dict:
    """What the import would do, as plain values a job keeps to show before it is confirmed."""
    return sheet_import().preview(plan)


def summary(plan) -> str:
    """What was imported, said once it is written."""
    return sheet_import().summary(plan)
