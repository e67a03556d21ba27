"""A contact list uploaded as CSV (email, name, language, and any other column a hidden field kept with the
answer), read as a stream within limits; every refused line is named at once, and nothing is taken then."""

import re
from dataclasses import dataclass, field
from typing import BinaryIO

from cxroadmap import uploads
from cxroadmap.emails import email_problem, has_control_characters, normal_email
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _
from cxroadmap.surveys.kinds import HIDDEN_VALUE_LENGTH, LANGUAGES
from cxroadmap.validation import Problems, line_problem, tidy

MAX_CONTACTS = uploads.SHEET_ROWS
MAX_COLUMNS = 24
MAX_HIDDEN = 10  # hidden fields one contact carries
MAX_PROBLEMS = 50
HIDDEN_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
KNOWN = ("email", "name", "language")


class ContactsRefused(DomainError):
    """The file cannot be taken as contacts; `lines` holds one message per problem, naming the CSV line."""

    def __init__(self, lines: list[str]):
        self.lines = list(lines)
        super().__init__({"contacts": "\n".join(self.lines)})


@dataclass(frozen=True)
class Contact:
    """One person to invite, as checked: the address in its normal form, their language, the hidden fields."""

    email: str
    name: str = ""
    language: str = "en"
    hidden: dict[str, str] = field(default_factory=dict)
    line: int = 0


def contact_problems(email: str, name: str, language: str, hidden: dict) -> dict[str, str]:
    """What is wrong with one contact, by field (the API names the fields; the upload the line)."""
    problems = Problems()
    problems.require(not has_control_characters(email) and email_problem(email) is None, "email",
                     _("“%(email)s” is not an email address mail can be sent to.", email=email[:80]))
    problems.require(len(name) <= 200 and line_problem(name) is None, "name",
                     _("The name is longer than 200 characters or holds line breaks."))
    problems.require(language in LANGUAGES, "language",
                     _("The language “%(language)s” is neither en nor nl.", language=language[:10]))
    problems.require(len(hidden) <= MAX_HIDDEN, "hidden", _("At most %(count)s hidden fields.", count=MAX_HIDDEN))
    for key, value in hidden.items():
        if not HIDDEN_NAME.match(key):
            problems.require(False, "hidden", _("The hidden field name “%(name)s” is not a short name of letters "
                                                "a–z, digits, - and _.", name=key[:40]))
        elif not isinstance(value, str) or len(value) > HIDDEN_VALUE_LENGTH or line_problem(value):
            problems.require(False, "hidden", _("The hidden field %(name)s holds more than one line of %(count)s "
                                                "characters.", name=key, count=HIDDEN_VALUE_LENGTH))
    return problems


def read_contacts(content: bytes | BinaryIO, default_language: str = "en") -> list[Contact]:
    """The contacts of a CSV file whose first line names its columns (email required), read as a stream and
    stopped at the first line past MAX_CONTACTS; ContactsRefused naming every line refused (up to 50)."""
    problems: list[str] = []
    try:
        rows = uploads.csv_rows(content, uploads.sniffed, max_rows=MAX_CONTACTS, max_columns=MAX_COLUMNS)
        header = next(rows, None)
        if header is None:
            raise ContactsRefused([_("The file is empty.")])
        names = _column_names(header[1])
        contacts = _contacts(rows, names, default_language, problems)
    except uploads.NotText:
        raise ContactsRefused([_("The file is not UTF-8 text (save the spreadsheet as CSV UTF-8).")]) from None
    except uploads.TooManyRows:
        raise ContactsRefused([_("At most %(count)s contacts in one file.", count=f"{MAX_CONTACTS:,}")]) from None
    except uploads.UploadRefused as refused:
        raise ContactsRefused([*problems, str(refused)]) from None
    if not contacts and not problems:
        problems.append(_("The file names its columns but holds no contacts."))
    if problems:
        raise ContactsRefused(problems)
    return contacts


def _column_names(header: list[str]) -> list[str]:
    names = [tidy(name).lower() for name in header]
    if "email" not in names:
        raise ContactsRefused([_("Line 1 names no “email” column; the first line names the columns (email, and "
                                 "optionally name, language and any hidden fields).")])
    bad = [name for name in names if name not in KNOWN and not HIDDEN_NAME.match(name)]
    if bad or len(set(names)) < len(names):
        raise ContactsRefused([_("Line 1: each column needs a name of its own, of letters a–z, digits, - and _ "
                                 "(not “%(name)s”).", name=(bad or names)[0][:40])])
    if len([name for name in names if name not in KNOWN]) > MAX_HIDDEN:
        raise ContactsRefused([_("Line 1: at most %(count)s hidden fields beside email, name and language.",
                                 count=MAX_HIDDEN)])
    return names


def _contacts(rows, names: list[str], default_language: str, problems: list[str]) -> list[Contact]:
    contacts, seen = [], {}
    for line, row in rows:
        cells = {name: tidy(row[index]) if index < len(row) else "" for index, name in enumerate(names)}
        email = normal_email(cells.pop("email"))
        name, language = cells.pop("name", ""), (cells.pop("language", "") or default_language).lower()
        hidden = {key: value for key, value in cells.items() if value}
        found = list(contact_problems(email, name, language, hidden).values())
        if email in seen and not found:
            found.append(_("%(email)s is on line %(first)s already.", email=email, first=seen[email]))
        problems.extend(_("Line %(line)s: %(problem)s", line=line, problem=problem) for problem in found)
        if len(problems) >= MAX_PROBLEMS:
            problems.append(_("… and perhaps more; correct these first."))
            break
        seen.setdefault(email, line)
        contacts.append(Contact(email, name, language, hidden, line))
    return contacts
