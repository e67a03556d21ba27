"""Reading spreadsheet files: the tables of an XLSX or CSV file (their cells are read by exchangekit.cells)."""

import io
from decimal import Decimal
from typing import BinaryIO

from cxroadmap import uploads
from cxroadmap.exchangekit.cells import Percent, Table
from cxroadmap.i18n import _


class Unreadable(Exception):
    """The file is not a spreadsheet this reads (a one-line reason)."""


def _trimmed(rows) -> list[tuple[int, list]]:
    kept = []
    for number, row in rows:
        cells = ["" if cell is None else cell for cell in row]
        if any(str(cell).strip() for cell in cells):
            kept.append((number, cells))
    return kept


def read_tables(filename: str, content: bytes | BinaryIO) -> list[Table]:
    """Every sheet of an XLSX file, or the one table of a CSV file (comma, semicolon or tab separated), read as a
    stream within the limits of cxroadmap.uploads; Unreadable with the reason otherwise. Nothing is written."""
    source = io.BytesIO(content) if isinstance(content, bytes | bytearray) else content
    start = source.tell()
    signature = source.read(4)
    source.seek(start)
    try:
        if filename.lower().endswith(".xlsx") or signature == b"PK\x03\x04":
            return _xlsx_tables(source)
        return [_csv_table(source)]
    except uploads.NotText:
        raise Unreadable(_("The file is neither UTF-8 nor Windows text.")) from None
    except uploads.UploadRefused as refused:
        raise Unreadable(str(refused)) from None


def _xlsx_tables(source: BinaryIO) -> list[Table]:
    tables = []
    for sheet in uploads.read_xlsx(source, cell=_xlsx_cell):
        if not sheet.rows:
            continue
        headers = [str(cell or "").strip() for cell in sheet.rows[0][1]]
        tables.append(Table(sheet.title, headers, _trimmed(sheet.rows[1:])))
    return tables


def _xlsx_cell(cell):
    value = cell.value
    if isinstance(value, int | float) and not isinstance(value, bool) and "%" in (cell.number_format or ""):
        return Percent(Decimal(str(value)))
    return value


def _csv_table(source: BinaryIO) -> Table:
    rows = list(uploads.csv_rows(source, uploads.first_line_delimiter, max_rows=uploads.SHEET_ROWS,
                                 max_columns=uploads.SHEET_COLUMNS, encodings=("utf-8-sig", "cp1252")))
    if not rows:
        raise Unreadable(_("The file is empty."))
    return Table("CSV", [str(h).strip() for h in rows[0][1]], _trimmed(rows[1:]))
