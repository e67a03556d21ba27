"""The organisation's workbook: the sheets the areas contribute (`WorkbookSheet`), in their order."""

from collections.abc import Callable
from datetime import date, timedelta
from functools import partial

from cxroadmap.exchange.parts import exchange_parts
from cxroadmap.exchangekit.parts import SheetScope
from cxroadmap.exchangekit.sheets import Sheet
from cxroadmap.organisations.models import Organisation

# The workbook's survey answers cover this many days up to the day it is made, unless a period is asked.
ANSWER_DAYS = 90


def answer_period(on: date, since: date | None = None, until: date | None = None) -> tuple[date, date]:
    """The days whose survey answers the workbook holds: as asked, else the ANSWER_DAYS up to on."""
    until = until or on
    since = since or until - timedelta(days=ANSWER_DAYS - 1)
    return (since, until) if since <= until else (until, since)


def organisation_workbook(organisation: Organisation, horizon_years: int, on: date,
                          gathered: Callable[[float], None] | None = None,
                          answers: tuple[date, date] | None = None) -> list[Sheet]:
    """Everything of the organisation, one sheet per area (archived initiatives included), the survey answers of
    the period asked (answers: first and last day; else the ANSWER_DAYS up to on); gathered hears the share of
    the sheets gathered so far."""
    scope = SheetScope(on, horizon_years, answers or answer_period(on))
    contributed = [(sheet.order, partial(sheet.make, organisation, scope))
                   for part in exchange_parts() for sheet in part.sheets]
    makers = [make for _order, make in sorted(contributed, key=lambda pair: pair[0])]
    sheets = []
    for make in makers:
        sheets.append(make())
        if gathered is not None:
            gathered(len(sheets) / len(makers))
    return sheets
