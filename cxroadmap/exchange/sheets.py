"""Spreadsheets written: typed XLSX cells or CSV, headers in the reader's language, no formulas smuggled in."""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from babel.numbers import get_currency_symbol
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

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


def write_xlsx(sheets: list[Sheet], currency: str, language: str,
               progress: Callable[[float], None] | None = None) -> bytes:
    """A workbook, one worksheet per sheet: header frozen and filterable, cells typed, widths that fit; progress
    hears, now and then, the share of the writing done so far."""
    total, written = max(sum(len(sheet.rows) for sheet in sheets), 1), 0
    book = Workbook()
    book.remove(book.active)
    money = money_format(currency, language)
    for sheet in sheets:
        worksheet = book.create_sheet(str(sheet.title)[:31])
        headers = [str(column.header) for column in sheet.columns]
        worksheet.append(headers)
        for cell in worksheet[1]:
            cell.font = Font(bold=True)
        widths = [len(header) + 4 for header in headers]  # room for the filter button
        for row_number, row in enumerate(sheet.rows, start=2):
            written += 1
            if progress is not None and written % PROGRESS_ROWS == 0:
                progress(CELLS_SHARE * written / total)
            for index, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
                cell = worksheet.cell(row=row_number, column=index + 1)
                if column.kind == "text" and value is not None:
                    text = str(value)
                    cell.value = text
                    cell.data_type = "s"  # never a formula, whatever it starts with
                    if text.startswith(FORMULA_STARTS):
                        cell.quotePrefix = True
                    shown = max((len(line) for line in text.splitlines()), default=0)
                else:
                    cell.value = _xlsx_value(value, column.kind)
                    if column.kind == "money":
                        cell.number_format = money
                    elif column.kind in NUMBER_FORMATS:
                        cell.number_format = NUMBER_FORMATS[column.kind]
                    shown = 10 if column.kind == "date" else len(str(value or "")) + 4
                widths[index] = max(widths[index], shown + 1)
        for index, column in enumerate(sheet.columns):
            worksheet.column_dimensions[get_column_letter(index + 1)].width = min(column.width or widths[index],
                                                                                  MAX_WIDTH)
        worksheet.freeze_panes = "A2"
        last = get_column_letter(max(len(sheet.columns), 1))
        worksheet.auto_filter.ref = f"A1:{last}{max(len(sheet.rows) + 1, 1)}"
    output = io.BytesIO()
    book.save(output)
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
