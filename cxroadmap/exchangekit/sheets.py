"""Spreadsheets written: typed XLSX cells or CSV, headers in the reader's language, no formulas smuggled in."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from babel.numbers import get_currency_symbol

from cxroadmap.i18n import _

# What a spreadsheet would read as the start of a formula (or a DDE call): OWASP's list.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
MAX_WIDTH = 60
PROGRESS_ROWS = 1000  # a workbook being written says how far it is every so many rows
# Filling the cells is about two fifths of writing a workbook, saving it (one step, silent) the rest (measured
# with benchmarks/downloads_bench.py: 10,000 initiatives' workbook, 5 s of cells, 8 s of saving).
CELLS_SHARE = 0.4


@dataclass(frozen=True)
class Column:
    """One column: its header (lazy text), and what kind of value its cells hold."""

    header: object
    kind: str = "text"  # text | date | money | percent | whole | number
    width: int | None = None


@dataclass(frozen=True)
class Sheet:
    title: object
    columns: list[Column]
    rows: list[list]


def neutralised(text: str) -> str:
    """User text as a spreadsheet must take it: a leading formula character is preceded by an apostrophe."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def money_format(currency: str, language: str) -> str:
    symbol = get_currency_symbol(currency, locale=language).replace('"', "")
    return f'"{symbol}" #,##0.00;"{symbol}" -#,##0.00'


NUMBER_FORMATS = {"date": "yyyy-mm-dd", "percent": "0%", "whole": "0", "number": "#,##0.####"}


def _xlsx_value(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "percent":
        return float(Decimal(value) / 100) if isinstance(value, int) else float(value)
    if isinstance(value, Decimal):
        return float(value) if kind != "money" else float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _widths(sheet: Sheet) -> list[int]:
    """Each column's width: what its header and its longest value need (or what the column says), at most
    MAX_WIDTH; worked out before any row is written, as a streamed worksheet needs them first."""
    widths = [len(str(column.header)) + 4 for column in sheet.columns]  # room for the filter button
    for row in sheet.rows:
        for index, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
            if column.kind == "text" and value is not None:
                shown = max((len(line) for line in str(value).splitlines()), default=0)
            else:
                shown = 10 if column.kind == "date" else len(str(value or "")) + 4
            widths[index] = max(widths[index], shown + 1)
    return [min(column.width or width, MAX_WIDTH) for column, width in zip(sheet.columns, widths, strict=True)]


def _write_value(worksheet, row: int, column: int, kind: str, value, formats: dict) -> None:
    """One typed cell: text always as text (a leading formula character kept, with Excel's quote prefix), numbers
    and dates with their format; nothing for an empty value."""
    if value is None or value == "":
        return
    if kind == "text":
        text = str(value)
        if text.startswith(FORMULA_STARTS):
            worksheet.write_string(row, column, text, formats["quoted"])
        else:
            worksheet.write_string(row, column, text)
        return
    value = _xlsx_value(value, kind)
    if isinstance(value, date):  # a datetime too
        worksheet.write_datetime(row, column, value, formats["date"])
    elif isinstance(value, int | float):
        worksheet.write_number(row, column, value, formats.get(kind))
    else:
        worksheet.write_string(row, column, str(value))


def write_xlsx(sheets: list[Sheet], currency: str, language: str,
               progress: Callable[[float], None] | None = None) -> bytes:
    """A workbook, one worksheet per sheet: header frozen and filterable, cells typed, widths that fit; progress
    hears, now and then, the share of the writing done so far. Written as a stream (XlsxWriter's constant-memory
    mode): each row goes to its worksheet's file as it is made, so memory holds the rows given and little else."""
    total, written = max(sum(len(sheet.rows) for sheet in sheets), 1), 0
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {kind: book.add_format({"num_format": number_format})
               for kind, number_format in {**NUMBER_FORMATS, "money": money_format(currency, language)}.items()}
    formats["quoted"] = book.add_format({"quote_prefix": True})
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        worksheet = book.add_worksheet(str(sheet.title)[:31])
        for index, width in enumerate(_widths(sheet)):
            worksheet.set_column(index, index, width)
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(sheet.rows), 0), max(len(sheet.columns) - 1, 0))
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(0, index, str(column.header), bold)
        kinds = [column.kind for column in sheet.columns]
        for row_number, row in enumerate(sheet.rows, start=1):
            written += 1
            if progress is not None and written % PROGRESS_ROWS == 0:
                progress(CELLS_SHARE * written / total)
            for index, (kind, value) in enumerate(zip(kinds, row, strict=True)):
                _write_value(worksheet, row_number, index, kind, value, formats)
    book.close()
    return output.getvalue()


def _csv_value(value, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)
    return neutralised(str(value))


def write_csv(sheet: Sheet) -> bytes:
    """One sheet as CSV: UTF-8 with a byte-order mark (so spreadsheets read it as UTF-8), ISO dates, points."""
    output = io.StringIO()
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow([str(column.header) for column in sheet.columns])
    for row in sheet.rows:
        writer.writerow([_csv_value(value, column.kind) for column, value in zip(sheet.columns, row, strict=True)])
    return ("\ufeff" + output.getvalue()).encode("utf-8")


def yes_no(value: bool) -> str:
    """A yes/no cell, in the reader's language."""
    return _("yes") if value else _("no")
