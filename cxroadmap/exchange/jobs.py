"""Long exchange work done in the background: a large import (a spreadsheet of initiatives, checked and previewed,
then written once confirmed; a cxroadmap/1 document replacing the organisation's contents), and a large
organisation's downloads (the initiatives list's spreadsheets, the workbook of everything, the document)."""

from datetime import date

from flask import current_app
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cxroadmap.errors import DomainError
from cxroadmap.exchange import downloads
from cxroadmap.exchange.document.importer import ImportRefused
from cxroadmap.exchange.document.replace import plan_replacement, replace_contents
from cxroadmap.exchange.parts import list_filter, list_sheets
from cxroadmap.exchange.spreadsheets.files import Unreadable, read_tables
from cxroadmap.exchange.spreadsheets.importing import check_sheet, preview, summary, write_sheet
from cxroadmap.extensions import db
from cxroadmap.i18n import _, ngettext
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.jobs.services import JobRefused, Outcome, job_kind
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import today


def in_background(content: bytes) -> bool:
    """Whether an upload is large enough that checking and writing it take longer than a page should wait."""
    return len(content) > int(current_app.config["BACKGROUND_IMPORT_BYTES"])


def _refused(problems: list[str]) -> JobRefused:
    return JobRefused(ngettext("Nothing was imported: %(num)s problem.", "Nothing was imported: %(num)s problems.",
                               len(problems)), problems)


@job_kind("sheet_import", lambda job: _("Import initiatives"), section="exchange/_import_job.html", role="steering")
def import_sheet(job: Job, progress) -> Outcome:
    """Check the uploaded spreadsheet whole; then show what it would do, or (confirmed) write all of it."""
    organisation = db.session.get(Organisation, job.organisation_id)
    filename, confirmed = job.parameters.get("filename", "import.csv"), bool(job.parameters.get("confirm"))
    progress(5, _("Checking the file…"))
    try:
        tables = read_tables(filename, job.payload or b"")
    except Unreadable as unreadable:
        raise _refused([str(unreadable)]) from None
    plan = check_sheet(organisation, tables, job.language)
    if plan.problems:
        raise _refused(plan.problems)
    if not confirmed:
        return Outcome(shown={"filename": filename, "preview": preview(plan)}, keep_payload=True)
    progress(60, _("Writing the initiatives…"))
    try:
        with writing_from_here():
            write_sheet(organisation, plan)
            db.session.flush()
    except DomainError as refusal:
        raise _refused(list(refusal.errors.values())) from None
    except (IntegrityError, StaleDataError):
        raise _refused([_("Someone changed the same initiatives at the same moment.")]) from None
    return Outcome(shown={"filename": filename, "summary": summary(plan)})


@job_kind("document_replace", lambda job: _("Replace from a document"), section="exchange/_replace_job.html",
          role="admin")
def replace_from_document(job: Job, progress) -> Outcome:
    """Replace the organisation's contents with the uploaded cxroadmap/1 document, all of it or nothing."""
    progress(5, _("Checking the document and replacing the contents…"))
    try:  # read and checked before the job takes the write lock
        plan = plan_replacement(job.payload or b"")
    except ImportRefused as refused:
        raise _refused(refused.problems) from None
    with writing_from_here():
        organisation = db.session.get(Organisation, job.organisation_id)
        try:
            replace_contents(organisation, plan)
            db.session.flush()
        except DomainError as refusal:
            raise _refused(list(refusal.errors.values())) from None
        except IntegrityError:
            raise _refused([_("The document clashes with itself (a duplicate name or reference?).")]) from None
    return Outcome(shown={"summary": _("%(name)s now holds what the document describes.", name=organisation.name)})


# -- a large organisation's downloads ------------------------------------------------------------------

def _spreadsheet_title(job: Job) -> str:
    sheet = job.parameters.get("sheet")
    if sheet == downloads.WORKBOOK:
        return str(downloads.WORKBOOK_LABEL)
    listed = list_sheets()
    label = listed[sheet].label if sheet in listed else _("Spreadsheet")
    return _("%(sheet)s (%(format)s)", sheet=label, format=str(job.parameters.get("fmt", "")).upper())


@job_kind("spreadsheet", _spreadsheet_title, download_action="spreadsheet_download", download_object="Spreadsheet")
def make_spreadsheet(job: Job, progress) -> Outcome:
    """A spreadsheet of the initiatives list (with the filters it was asked with) or the workbook of everything:
    the file the download gives a small organisation at once."""
    organisation = db.session.get(Organisation, job.organisation_id)
    sheet, horizon = job.parameters["sheet"], int(current_app.config["BENEFIT_HORIZON_YEARS"])
    if sheet == downloads.WORKBOOK:
        period = job.parameters.get("answers")
        made = downloads.workbook(organisation, horizon, today(), job.language, progress,
                                  answers=tuple(date.fromisoformat(day) for day in period) if period else None)
    else:
        wanted = list_filter().restored(job.parameters.get("filter", {}))
        made = downloads.list_spreadsheet(organisation, sheet, job.parameters["fmt"], wanted, horizon, today(),
                                          job.language, progress)
    return Outcome(made.content, made.filename, made.mimetype)


@job_kind("document_export", lambda job: _("The whole organisation as a cxroadmap/1 document"),
          download_action="document_download", download_object="Organisation", role="admin")
def make_document(job: Job, progress) -> Outcome:
    """The organisation's cxroadmap/1 document, as its download gives it."""
    made = downloads.document(db.session.get(Organisation, job.organisation_id), today(), progress,
                              with_answers=bool(job.parameters.get("with_answers")))
    return Outcome(made.content, made.filename, made.mimetype)
