"""Reading spreadsheets: tables out of XLSX or CSV, and cells read as people write them in English or Dutch."""

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from babel.dates import parse_date
from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import force_locale

from cxroadmap import uploads
from cxroadmap.choices import Choices
from cxroadmap.exchangekit.sheets import FORMULA_STARTS, Column
from cxroadmap.i18n import LANGUAGES, _


class Unreadable(Exception):
    """The file is not a spreadsheet this reads (a one-line reason)."""


@dataclass
class Table:
    """The rows of one sheet: header texts and, per row, its number in the file and its cells."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


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


@dataclass(frozen=True)
class Percent:
    """A number a spreadsheet shows as a percentage: 0.4 shown as 40%."""

    fraction: Decimal


def _csv_table(source: BinaryIO) -> Table:
    rows = list(uploads.csv_rows(source, uploads.first_line_delimiter, max_rows=uploads.SHEET_ROWS,
                                 max_columns=uploads.SHEET_COLUMNS, encodings=("utf-8-sig", "cp1252")))
    if not rows:
        raise Unreadable(_("The file is empty."))
    return Table("CSV", [str(h).strip() for h in rows[0][1]], _trimmed(rows[1:]))


# -- headers -------------------------------------------------------------------------------------------

def _key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def header_names(columns: dict[str, Column]) -> dict[str, str]:
    """Every header a column may have (its key, its English and its Dutch header) -> the field."""
    names = {}
    for name, column in columns.items():
        names[_key(name)] = name
        for language in LANGUAGES:
            with force_locale(language):
                names[_key(str(column.header))] = name
    return names


def choice_names(choices: Choices, extra: dict | None = None) -> dict[str, str]:
    """Every way a choice is written (key, English or Dutch label) -> its key."""
    names = {}
    for choice in choices:
        names[_key(choice.key)] = choice.key
        names[_key(choice.key.replace("_", " "))] = choice.key
        for language in LANGUAGES:
            with force_locale(language):
                names[_key(str(choice.label))] = choice.key
                if extra and choice.key in extra:
                    names[_key(str(extra[choice.key]))] = choice.key
    return names


# -- cells ---------------------------------------------------------------------------------------------

class CellProblem(Exception):
    """What is wrong with one cell, said to the reader."""


def text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Percent):
        value = value.fraction
    text_value = str(value).strip() if not isinstance(value, datetime) else value.date().isoformat()
    # What an export neutralised comes back as it was typed.
    if text_value.startswith("'") and text_value[1:].startswith(FORMULA_STARTS):
        return text_value[1:]
    return text_value


def day(value, language: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    written = text(value)
    try:
        return date.fromisoformat(written)
    except ValueError:
        pass
    for locale in (language, *[code for code in LANGUAGES if code != language]):
        try:
            parsed = parse_date(written, locale=locale)
        except (ValueError, IndexError):
            continue
        if 1900 <= parsed.year <= 2199:
            return parsed
    raise CellProblem(_("not a date (write it as 2027-03-31)"))


def number(value, language: str) -> Decimal | None:
    """A number as the reader writes it: 12.500,50 in Dutch, 12,500.50 in English, or plain 12500.50."""
    if value is None or value == "":
        return None
    if isinstance(value, Percent):
        return value.fraction
    if isinstance(value, bool):
        raise CellProblem(_("not a number"))
    if isinstance(value, int | float | Decimal):
        return Decimal(str(value))
    written = re.sub(r"[^\d.,\-+]", "", text(value).replace("\u2212", "-"))
    if not written or not re.search(r"\d", written):
        raise CellProblem(_("not a number"))
    for locale in (language, *[code for code in LANGUAGES if code != language]):
        try:
            return parse_decimal(written, locale=locale, strict=True)
        except (NumberFormatError, InvalidOperation, ValueError):
            continue
    try:
        return Decimal(written)
    except InvalidOperation:
        raise CellProblem(_("not a number")) from None


def share(value, language: str) -> Decimal | None:
    """A share from 0 to 1, written as 0.7, 70% or 70."""
    if isinstance(value, Percent):
        return value.fraction
    percent = isinstance(value, str) and "%" in value
    amount = number(value, language)
    if amount is None:
        return None
    return amount / 100 if percent or amount > 1 else amount


def whole(value, language: str) -> int | None:
    if isinstance(value, Percent):
        value = value.fraction * 100
    amount = number(value, language)
    if amount is None:
        return None
    if amount != amount.to_integral_value():
        raise CellProblem(_("not a whole number"))
    return int(amount)


def yes_no(value) -> bool:
    written = _key(text(value))
    if written in ("", "no", "nee", "false", "onwaar", "0", "n"):
        return False
    if written in ("yes", "ja", "true", "waar", "1", "y", "j"):
        return True
    raise CellProblem(_("write yes or no"))


def one_of(value, names: dict[str, str], choices: Choices) -> str | None:
    written = _key(text(value))
    if not written:
        return None
    if written not in names:
        raise CellProblem(_("not one of %(keys)s", keys=", ".join(str(c.label) for c in choices)))
    return names[written]
