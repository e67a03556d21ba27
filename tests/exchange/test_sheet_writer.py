"""The XLSX writer streams its rows as XML of its own: the file is the one XlsxWriter's cell calls make, part by
part, whatever the cells hold (the writer before this one, kept here as the measure)."""

import io
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal

import openpyxl
import xlsxwriter

from cxroadmap.exchangekit.sheets import (
    FORMULA_STARTS,
    MAX_WIDTH,
    NUMBER_FORMATS,
    PROGRESS_ROWS,
    Column,
    Sheet,
    money_format,
    write_xlsx,
)

# -- the writer as it was: one XlsxWriter call a cell -----------------------------------------------------


def _reference_value(value, kind: str):
    if kind == "percent":
        return float(Decimal(value) / 100) if isinstance(value, int) else float(value)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value


def _reference_widths(sheet: Sheet) -> list[int]:
    widths = [len(str(column.header)) + 4 for column in sheet.columns]
    for row in sheet.rows:
        for index, (column, value) in enumerate(zip(sheet.columns, row, strict=True)):
            if column.kind == "text" and value is not None:
                shown = max((len(line) for line in str(value).splitlines()), default=0)
            else:
                shown = 10 if column.kind == "date" else len(str(value or "")) + 4
            widths[index] = max(widths[index], shown + 1)
    return [min(column.width or width, MAX_WIDTH) for column, width in zip(sheet.columns, widths, strict=True)]


def _reference_cell(worksheet, row: int, column: int, kind: str, value, formats: dict) -> None:
    if value is None or value == "":
        return
    if kind == "text":
        text = str(value)
        worksheet.write_string(row, column, text, formats["quoted"] if text.startswith(FORMULA_STARTS) else None)
        return
    value = _reference_value(value, kind)
    if isinstance(value, date):
        worksheet.write_datetime(row, column, value, formats["date"])
    elif isinstance(value, int | float):
        worksheet.write_number(row, column, value, formats.get(kind))
    else:
        worksheet.write_string(row, column, str(value))


def reference_xlsx(sheets: list[Sheet], currency: str, language: str) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"constant_memory": True, "strings_to_formulas": False,
                                        "strings_to_urls": False, "strings_to_numbers": False})
    formats = {kind: book.add_format({"num_format": number_format})
               for kind, number_format in {**NUMBER_FORMATS, "money": money_format(currency, language)}.items()}
    formats["quoted"] = book.add_format({"quote_prefix": True})
    bold = book.add_format({"bold": True})
    for sheet in sheets:
        worksheet = book.add_worksheet(str(sheet.title)[:31])
        for index, width in enumerate(_reference_widths(sheet)):
            worksheet.set_column(index, index, width)
        worksheet.freeze_panes(1, 0)
        worksheet.autofilter(0, 0, max(len(sheet.rows), 0), max(len(sheet.columns) - 1, 0))
        for index, column in enumerate(sheet.columns):
            worksheet.write_string(0, index, str(column.header), bold)
        kinds = [column.kind for column in sheet.columns]
        for row_number, row in enumerate(sheet.rows, start=1):
            for index, (kind, value) in enumerate(zip(kinds, row, strict=True)):
                _reference_cell(worksheet, row_number, index, kind, value, formats)
    book.close()
    return output.getvalue()


# -- what the sheets hold -----------------------------------------------------------------------------------

TEXTS = ["plain", "=SUM(A1)", "+31 6", "-minus", "@home", "\ttab first", "\rreturn first", " spaced ",
         "trailing\n", "two\nlines\r\nthree", "bell\x07 and \x0b and \x1f", "_x0041_ is not A", "\ufffe\uffff",
         "Tom & Jerry <tom@example.com> \"quoted\"", "Crème brûlée 🍮", "", None, 5, Decimal("12.50"),
         "x" * 40000, "🍮" * 17000, "\u00a0non-breaking\u00a0", "\u2028line\u2029", "é" * 70]
NAIVE = datetime(2026, 5, 4, 13, 14, 15, tzinfo=UTC).replace(tzinfo=None)  # as a spreadsheet holds a moment
WHENS = [date(2027, 3, 31), date(1900, 2, 28), date(1900, 3, 1), date(1899, 12, 31), NAIVE,
         datetime(2026, 5, 4, 13, 14, 15, 250000, tzinfo=UTC), NAIVE.replace(year=1900, month=1, day=1, hour=6),
         None, date(1905, 1, 1)]
MONEY = [Decimal("12500.50"), Decimal("0.00"), 0, Decimal("-3.10"), None, Decimal("999999999999.99"), 7, "n/a",
         date(2026, 1, 2), 1.5]
PERCENT = [40, 0, 100, Decimal("0.6"), Decimal("0.1234"), 0.25, None, True]
WHOLE = [3, 0, None, -12, True, False, 123456789012]
NUMBER = [Decimal("1.25"), Decimal("1E+3"), Decimal("0.0001"), None, 2, 1e-7, 12345678901234567890]


def _sheets(rows: int) -> list[Sheet]:
    columns = [Column("Ref"), Column("Text", width=30), Column("Free text"), Column("When", "date"),
               Column("Money", "money"), Column("Share", "percent"), Column("Count", "whole"),
               Column("Figure", "number"), Column("Long header for a narrow column", "whole")]
    made = [[f"R-{i}", TEXTS[i % len(TEXTS)], TEXTS[(i * 7) % len(TEXTS)], WHENS[i % len(WHENS)],
             MONEY[i % len(MONEY)], PERCENT[i % len(PERCENT)], WHOLE[i % len(WHOLE)], NUMBER[i % len(NUMBER)],
             i % 3] for i in range(rows)]
    empty_rows = [[None, "", None] for _ in range(3)] + [[None, "last", Decimal("1.00")]]
    small = [Column("Name"), Column("Note"), Column("Amount", "money")]
    return [Sheet("Everything, and a very long sheet title too", columns, made), Sheet("Nothing", small, []),
            Sheet("Empty rows", small, empty_rows), Sheet("Only empty", small, [[None, None, None]] * 2)]


def _parts(body: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        # docProps/core.xml holds the moment the file was made.
        return {name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"}


def test_the_streamed_rows_make_the_file_xlsxwriter_makes():
    sheets = _sheets(2 * len(TEXTS) * len(WHENS))
    for currency, language in (("EUR", "en"), ("USD", "nl")):
        written, expected = _parts(write_xlsx(sheets, currency, language)), _parts(
            reference_xlsx(sheets, currency, language))
        assert sorted(written) == sorted(expected)
        for name, content in expected.items():
            assert written[name] == content, name


def test_a_large_sheet_tells_how_far_it_is_and_reads_back():
    heard = []
    sheets = _sheets(PROGRESS_ROWS * 2 + 5)
    body = write_xlsx(sheets, "EUR", "en", progress=heard.append)
    assert _parts(body) == _parts(reference_xlsx(sheets, "EUR", "en"))
    assert len(heard) == 2 and heard == sorted(heard) and 0 < heard[-1] < 1
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    assert sheet.max_row == PROGRESS_ROWS * 2 + 6 and sheet.freeze_panes == "A2"
    assert sheet["B3"].value == "=SUM(A1)" and sheet["B3"].quotePrefix and sheet["B3"].data_type == "s"
    assert sheet["D2"].value.date() == date(2027, 3, 31) and sheet["D2"].number_format == "yyyy-mm-dd"
    assert sheet["E2"].value == 12500.5 and "€" in sheet["E2"].number_format
    assert sheet["F2"].value == 0.4 and sheet["F2"].number_format == "0%"


def test_text_that_looks_like_xml_stays_text():
    """XlsxWriter copies text shaped like a rich string (<r>…</r>) into the file unescaped; a title typed so
    would break the workbook. Written here, it is text like any other."""
    texts = ["<r><t>bold?</t></r>", "<r>broken</r>", "<r><oops</r>"]
    body = write_xlsx([Sheet("Titles", [Column("Title")], [[text] for text in texts])], "EUR", "en")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Titles"]
    assert [sheet.cell(row, 1).value for row in range(2, 5)] == texts


def test_widths_fit_the_longest_line_within_the_most():
    rows = [["short", "a\nmuch longer second line", "x" * 200, date(2026, 1, 1)] for _ in range(3)]
    columns = [Column("Header of some length"), Column("B"), Column("C"), Column("D", "date")]
    body = write_xlsx([Sheet("Widths", columns, rows)], "EUR", "en")
    sheet = openpyxl.load_workbook(io.BytesIO(body))["Widths"]
    widths = [sheet.column_dimensions[letter].width for letter in "ABCD"]
    # XlsxWriter adds its padding to each width (about 0.7 of a character).
    assert [round(width) for width in widths] == [26, 25, MAX_WIDTH + 1, 12]
