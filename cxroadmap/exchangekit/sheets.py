"""Spreadsheets written: typed XLSX cells or CSV, headers in the reader's language, no formulas smuggled in."""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

import xlsxwriter
from babel.numbers import get_currency_symbol
from xlsxwriter.utility import xl_col_to_name

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
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


# -- the rows of a streamed worksheet --------------------------------------------------------------------
# XlsxWriter spends about ten microseconds on each cell (its checks, a tuple, a row table, then the XML); the
# rows here are written as that XML directly, a row at a time, into the file the worksheet streams its rows to:
# the same elements, attributes and escapes, so the file is the one XlsxWriter's cell calls make
# (tests/exchange/test_sheet_writer.py compares the two, part by part). This leans on four names XlsxWriter
# does not document (its streamed worksheet's file, its row flush, its last row and a format's index), pinned
# by setup.cfg's version range and checked by that test.

_EXCEL_EPOCH = date(1899, 12, 31).toordinal()
_EXCEL_EPOCH_TIME = datetime(1899, 12, 31)  # noqa: DTZ001 (Excel counts days in no time zone)
_NEEDS_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff&<>]|_x[0-9a-fA-F]{4}_")
_NEEDS_CONTROL_ESCAPE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]|_x[0-9a-fA-F]{4}_")
_ESCAPED_ESCAPE = re.compile("(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile("([\x00-\x08\x0b-\x1f])")
MOST_ROWS = 1048576  # Excel's rows (the header's included); XlsxWriter leaves out cells past them
MOST_UTF16 = 32767  # Excel's longest cell text, in UTF-16 units; XlsxWriter cuts longer text there


def _excel_date(value: date) -> str:
    """A date or datetime as Excel's serial number, as XlsxWriter writes it (1900 taken for a leap year)."""
    if isinstance(value, datetime):
        delta = value - _EXCEL_EPOCH_TIME
        serial = delta.days + (float(delta.seconds) + float(delta.microseconds) / 1e6) / (60 * 60 * 24)
        if value.isocalendar() == (1900, 1, 1):
            serial -= 1
    else:
        serial = value.toordinal() - _EXCEL_EPOCH
    return f"{serial + 1 if serial > 59 else serial:.16G}"


def _cut(text: str) -> str:
    """Text as long as a cell may hold (in UTF-16 units, as Excel counts), without splitting a character."""
    if len(text) <= MOST_UTF16 // 2 or len(text.encode("utf-16-le", "surrogatepass")) // 2 <= MOST_UTF16:
        return text
    length = 0
    for index, character in enumerate(text):
        length += 2 if ord(character) > 0xFFFF else 1
        if length > MOST_UTF16:
            return text[:index]
    return text


def _inline_text(text: str) -> str:
    """The <is> of a text cell: control characters as Excel's _xHHHH_ escapes, XML's three escaped, spaces at
    either end kept. (XlsxWriter would copy text that looks like a rich string, <r>…</r>, into the XML as it is;
    it is text here, escaped like any other.)"""
    if _NEEDS_ESCAPE.search(text):
        if _NEEDS_CONTROL_ESCAPE.search(text):
            text = _CONTROL.sub(lambda found: f"_x{ord(found.group(1)):04X}_",
                                _ESCAPED_ESCAPE.sub(r"_x005F\1", text))
            text = text.replace("\ufffe", "_xFFFE_").replace("\uffff", "_xFFFF_")
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    if text[:1].isspace() or text[-1:].isspace():
        return f'<is><t xml:space="preserve">{text}</t></is>'
    return f"<is><t>{text}</t></is>"


class _Styles:
    """The cell formats of a workbook, each as the s="n" attribute of its cells; a format gets its index when first
    used, as XlsxWriter gives it (so the styles part lists them in the same order)."""

    def __init__(self, formats: dict):
        self.formats, self.attributes = formats, {}

    def __getitem__(self, name: str) -> str:
        attribute = self.attributes.get(name)
        if attribute is None:
            attribute = self.attributes[name] = f' s="{self.formats[name]._get_xf_index()}"'
        return attribute


def _cell(reference: str, kind: str, value, styles: _Styles) -> str:
    """One typed cell's XML: text always as text (a leading formula character kept, with Excel's quote prefix),
    numbers and dates with their format. value is neither None nor empty."""
    if kind == "text":
        text = _cut(value if type(value) is str else str(value))
        style = styles["quoted"] if text.startswith(FORMULA_STARTS) else ""
        return f'<c r="{reference}"{style} t="inlineStr">{_inline_text(text)}</c>'
    value = _xlsx_value(value, kind)
    if isinstance(value, date):  # a datetime too
        return f'<c r="{reference}"{styles["date"]}><v>{_excel_date(value)}</v></c>'
    if isinstance(value, int | float):
        if value != value or value in (float("inf"), float("-inf")):
            raise TypeError("NAN/INF not supported in write_number()")
        style = styles[kind] if kind in styles.formats else ""
        return f'<c r="{reference}"{style}><v>{value:.16G}</v></c>'
    return f'<c r="{reference}" t="inlineStr">{_inline_text(_cut(str(value)))}</c>'


def _cells_of(kind: str, styles: _Styles) -> Callable[[str, object], str]:
    """_cell for one column's kind, with a short way for the values a column of that kind mostly holds (same XML)."""
    if kind == "text":
        def text_cell(reference: str, value) -> str:
            if type(value) is not str or len(value) > MOST_UTF16 // 2 or value.startswith(FORMULA_STARTS):
                return _cell(reference, kind, value, styles)
            return f'<c r="{reference}" t="inlineStr">{_inline_text(value)}</c>'
        return text_cell
    if kind == "date":
        def date_cell(reference: str, value) -> str:
            if type(value) is not date:
                return _cell(reference, kind, value, styles)
            serial = value.toordinal() - _EXCEL_EPOCH
            return f'<c r="{reference}"{styles["date"]}><v>{serial + 1 if serial > 59 else serial}</v></c>'
        return date_cell
    if kind in ("money", "number"):
        def decimal_cell(reference: str, value) -> str:
            if type(value) is not Decimal or not value.is_finite():
                return _cell(reference, kind, value, styles)
            return f'<c r="{reference}"{styles[kind]}><v>{float(value):.16G}</v></c>'
        return decimal_cell
    if kind in ("whole", "percent"):
        shares = {}  # a whole percentage: its share, worked out once

        def whole_cell(reference: str, value) -> str:
            if type(value) is not int or not -10**15 < value < 10**15:
                return _cell(reference, kind, value, styles)
            if kind == "percent":
                shown = shares.get(value)
                if shown is None:
                    shown = shares[value] = f"{float(Decimal(value) / 100):.16G}"
                return f'<c r="{reference}"{styles[kind]}><v>{shown}</v></c>'
            return f'<c r="{reference}"{styles[kind]}><v>{value}</v></c>'
        return whole_cell
    return lambda reference, value: _cell(reference, kind, value, styles)


def _width_of(kind: str, value) -> int:
    """What a cell needs of its column's width (before the column's own room)."""
    if kind == "text" and value is not None:
        return max((len(line) for line in str(value).splitlines()), default=0) + 1
    return (10 if kind == "date" else len(str(value or "")) + 4) + 1


def _stream_rows(worksheet, sheet: Sheet, styles: _Styles, tick: Callable[[], None]) -> list[int]:
    """Write the sheet's rows below its header (already written) as the worksheet's XML, a row at a time; each
    column's width: what its header and its longest value need (or what the column says), at most MAX_WIDTH."""
    columns = sheet.columns
    kinds = [column.kind for column in columns]
    widths = [len(str(column.header)) + 4 for column in columns]  # room for the filter button
    # Only a column whose width is not settled (its own, or the most) measures its cells.
    measured = [index for index, column in enumerate(columns) if not column.width and widths[index] < MAX_WIDTH]
    shapes = list(zip(kinds, [xl_col_to_name(index) for index in range(len(columns))],
                      [_cells_of(kind, styles) for kind in kinds], strict=True))
    rows = sheet.rows[:MOST_ROWS - 1]
    last = 0
    if rows:
        worksheet._write_single_row(1)  # the header row goes to the stream first
    write = worksheet.fh.write
    for number, row in enumerate(rows, start=2):
        tick()
        for index in measured:
            value, width = row[index], widths[index]
            if width < MAX_WIDTH and not (type(value) is str and len(value) < width and kinds[index] == "text"):
                widths[index] = max(width, _width_of(kinds[index], value))
        place = str(number)
        cells = [cell(letter + place, value) for (kind, letter, cell), value in zip(shapes, row, strict=True)
                 if value is not None and value != ""]
        if cells:
            write(f'<row r="{place}">{"".join(cells)}</row>')
            last = number - 1
    for row in sheet.rows[MOST_ROWS - 1:]:  # past Excel's last row: measured all the same, as before
        for index, (kind, value) in enumerate(zip(kinds, row, strict=True)):
            widths[index] = max(widths[index], _width_of(kind, value))
    if last:
        worksheet.dim_rowmax = max(worksheet.dim_rowmax, last)
        worksheet.previous_row = last
    return [min(column.width or width, MAX_WIDTH) for column, width in zip(columns, widths, strict=True)]


def write_xlsx(sheets: list[Sheet], currency: str, language: str,
               progress: Callable[[float], None] | None = None) -> bytes:
    """A workbook, one worksheet per sheet: header frozen and filterable, cells typed, widths that fit; progress
    hears, now and then, the share of the writing done so far. Written as a stream (XlsxWriter's constant-memory
    mode): each row goes to its worksheet's file as it is made, so memory holds the rows given and little else."""
    total, written = max(sum(len(sheet.rows) for sheet in sheets), 1), 0

    def tick() -> None:
        nonlocal written
        written += 1
        if progress is not None and written % PROGRESS_ROWS == 0:
            progress(CELLS_SHARE * written / total)

    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {kind: book.add_format({"num_format": number_format})
               for kind, number_format in {**NUMBER_FORMATS, "money": money_format(currency, language)}.items()}
    formats["quoted"] = book.add_format({"quote_prefix": True})
    styles = _Styles(formats)
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        worksheet = book.add_worksheet(str(sheet.title)[:31])
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(sheet.rows), 0), max(len(sheet.columns) - 1, 0))
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(0, index, str(column.header), bold)
        for index, width in enumerate(_stream_rows(worksheet, sheet, styles, tick)):
            worksheet.set_column(index, index, width)
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
