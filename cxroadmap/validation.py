"""Checking the values people type, one message per field, all found before anything is written: `Problems`
collects them and raises one `DomainError`; `tidy` keeps text as it should be stored; `check_text`, `check_line`
and `check_date` hold a field to its rules."""

import re
from datetime import date

from cxroadmap.errors import DomainError
from cxroadmap.i18n import _


class Problems(dict):
    """Collects one message per field while checking values, then raises them together."""

    def require(self, condition: bool, field: str, message: str) -> bool:
        if not condition and field not in self:
            self[field] = message
        return condition

    def raise_if_any(self) -> None:
        if self:
            raise DomainError(self)


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def tidy(text: str | None) -> str:
    """Text as it should be kept: trimmed, Unix line ends, no control characters a database may refuse."""
    if text is None:
        return ""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n")).strip()


def check_text(problems: Problems, field: str, text: str, max_length: int, required: bool = False) -> None:
    """Record a problem when required text is empty or any text is longer than the column keeps."""
    if required:
        problems.require(bool(text), field, _("This field is required."))
    problems.require(len(text) <= max_length, field, _("At most %(count)s characters.", count=max_length))


# What a one-line field (a name, a title, an email) never holds: control characters, line breaks among them (a
# name with a line break would start a header of its own in a mail, or break a row of a report).
_NOT_ON_ONE_LINE = re.compile(r"[\x00-\x1f\x7f\x85\u2028\u2029]")


def line_problem(text: str | None) -> str | None:
    """Why text cannot stand in a one-line field, or None when it can."""
    if text and _NOT_ON_ONE_LINE.search(str(text)):
        return _("Keep this to one line, without line breaks, tabs or other control characters.")
    return None


def check_line(problems: Problems, field: str, text: str, max_length: int, required: bool = False) -> None:
    """check_text for a one-line field: also a problem when it holds a line break or another control character."""
    check_text(problems, field, text, max_length, required)
    problem = line_problem(text)
    problems.require(problem is None, field, problem or "")


EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2199, 12, 31)


def check_date(problems: Problems, field: str, value: date | None, required: bool = False,
               not_after: date | None = None) -> None:
    """Record a problem with a date: missing when required, outside 1900–2199, or later than not_after."""
    if value is None:
        problems.require(not required, field, _("This field is required."))
        return
    problems.require(EARLIEST_DATE <= value <= LATEST_DATE, field, _("Use a date between 1900 and 2199."))
    if not_after is not None:
        problems.require(value <= not_after, field, _("This date is in the future."))
