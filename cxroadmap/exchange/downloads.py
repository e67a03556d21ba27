"""The files the spreadsheet and document downloads hand out: made the same way in a request and in a job, so a
large organisation's download made in the background is the file a small one gets at once."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.parts import list_sheets
from cxroadmap.exchange.spreadsheets.workbook import organisation_workbook
from cxroadmap.exchangekit.sheets import Sheet, write_csv, write_xlsx
from cxroadmap.i18n import _, _l
from cxroadmap.organisations.models import Organisation

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = ("xlsx", "csv")
WORKBOOK = "export"  # the whole organisation, one sheet per area (XLSX only)

Progress = Callable[[int, str], None]


def _quiet(progress: int, message: str) -> None:
    """In a request nobody is told how far it is."""


@dataclass(frozen=True)
class Download:
    content: bytes
    mimetype: str
    filename: str


WORKBOOK_LABEL = _l("Everything, one sheet per area (XLSX)")


def spreadsheet(organisation: Organisation, sheets: list[Sheet], fmt: str, name: str, on: date, language: str,
                progress: Progress = _quiet) -> Download:
    """Sheets as a download named <slug>-<name>-<date>.<fmt>: a CSV holds the first, an XLSX all of them."""
    filename = f"{organisation.slug}-{name}-{on.isoformat()}.{fmt}"
    progress(50, _("Writing the spreadsheet…"))
    if fmt == "csv":
        return Download(write_csv(sheets[0]), "text/csv", filename)
    written = write_xlsx(sheets, organisation.currency, language,
                         progress=lambda share: progress(50 + int(share * 45), _("Writing the spreadsheet…")))
    return Download(written, XLSX, filename)


def list_spreadsheet(organisation: Organisation, name: str, fmt: str, wanted, horizon_years: int,
                     on: date, language: str, progress: Progress = _quiet) -> Download:
    """One of the list sheets the areas contribute (`ListSheet`: the initiatives page's Download menu, whose rows
    grow with the number of initiatives), of the initiatives the list shows with these filters (wanted)."""
    progress(5, _("Gathering the rows…"))
    sheet = list_sheets()[name].make(organisation, wanted, horizon_years, on)
    return spreadsheet(organisation, [sheet], fmt, name, on, language, progress)


def workbook(organisation: Organisation, horizon_years: int, on: date, language: str,
             progress: Progress = _quiet, answers: tuple[date, date] | None = None) -> Download:
    """Everything of the organisation as one XLSX workbook, one sheet per area, with the survey answers of the
    period asked (answers: its first and last day; else the last ANSWER_DAYS)."""
    progress(5, _("Gathering the rows…"))
    sheets = organisation_workbook(
        organisation, horizon_years, on,
        gathered=lambda share: progress(5 + int(share * 40), _("Gathering the rows…")), answers=answers)
    return spreadsheet(organisation, sheets, "xlsx", WORKBOOK, on, language, progress)


def document(organisation: Organisation, on: date, progress: Progress = _quiet,
             with_answers: bool = False) -> Download:
    """The whole organisation as a cxroadmap/1 JSON document (with the customers' answers when asked)."""
    progress(5, _("Gathering the organisation…"))
    gathered = export_document(organisation, with_answers=with_answers)
    progress(80, _("Writing the document…"))
    return Download(dumps(gathered).encode("utf-8"), "application/json",
                    f"{organisation.slug}-{on.isoformat()}.json")
