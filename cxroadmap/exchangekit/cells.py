"""Reading a spreadsheet's cells as people write them in English or Dutch: the tables read out of a file
(exchange/spreadsheets/files.py reads them), headers and choices in either language, numbers, shares, days, yes or
no."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from babel.dates import parse_date
from babel.numbers import NumberFormatError, parse_decimal
from flask_babel import force_locale

from cxroadmap.choices import Choices
from cxroadmap.exchangekit.sheets import FORMULA_STARTS, Column
from cxroadmap.i18n import LANGUAGES, _


@dataclass
class Table:
    """The rows of one sheet: header texts and, per row, its number in the file and its cells."""

    name: str
    headers: list[str]
    rows: list[tuple[int, list]] = field(default_factory=list)


@dataclass(frozen=True)
class Percent:
    """A number a spreadsheet shows as a percentage: 0.4 shown as 40%."""

    fraction: Decimal


# -- headers -------------------------------------------------------------------------------------------

def key(text: str) -> str:
    return re.sub(r"\s+", " ", str(text)).strip().casefold()


def header_names(columns: dict[str, Column]) -> dict[str, str]:
    """Every header a column may have (its key, its English and its Dutch header) -> the field."""
    names = {}
    for name, column in columns.items():
        names[key(name)] = name
        for language in LANGUAGES:
            with force_locale(language):
                names[key(str(column.header))] = name
    return names


def choice_names(choices: Choices, extra: dict | None = None) -> dict[str, str]:
    """Every way a choice is written (key, English or Dutch label) -> its key."""
    names = {}
    for choice in choices:
        names[key(choice.key)] = choice.key
        names[key(choice.key.replace("_", " "))] = choice.key
        for language in LANGUAGES:
            with force_locale(language):
                names[key(str(choice.label))] = choice.key
                if extra and choice.key in extra:
                    names[key(str(extra[choice.key]))] = choice.key
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
    written = key(text(value))
    if written in ("", "no", "nee", "false", "onwaar", "0", "n"):
        return False
    if written in ("yes", "ja", "true", "waar", "1", "y", "j"):
        return True
    raise CellProblem(_("write yes or no"))


def one_of(value, names: dict[str, str], choices: Choices) -> str | None:
    written = key(text(value))
    if not written:
        return None
    if written not in names:
        raise CellProblem(_("not one of %(keys)s", keys=", ".join(str(c.label) for c in choices)))
    return names[written]
