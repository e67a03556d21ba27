"""Spreadsheet downloads: each sheet the areas contribute by itself (an address per sheet, made from the
contributions), the workbook of the whole organisation and its document; importing initiatives from one."""

import base64
import binascii
from collections.abc import Callable

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cxroadmap.access import requires
from cxroadmap.audit.services import record_apart
from cxroadmap.errors import DomainError
from cxroadmap.exchange import downloads, jobs
from cxroadmap.exchange.document.importer import ImportRefused
from cxroadmap.exchange.document.replace import plan_replacement, replace_contents
from cxroadmap.exchange.parts import list_filter, list_sheets, own_sheets, workbook_sheet
from cxroadmap.exchange.spreadsheets.files import Unreadable, read_tables
from cxroadmap.exchange.spreadsheets.importing import check_sheet, summary, write_sheet
from cxroadmap.exchange.spreadsheets.workbook import answer_period
from cxroadmap.exchangekit.parts import SheetScope
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language
from cxroadmap.jobs.runner import start_job
from cxroadmap.jobs.services import job_of
from cxroadmap.timeutil import today
from cxroadmap.uploads import PAGE_SHEET_BYTES, read_limited
from cxroadmap.web import organisation_blueprint, query_day, reads_upload, start_writing

bp = organisation_blueprint("sheets", __name__)

# The formats a sheet's own address serves, as a rule's part: /<name>.xlsx or /<name>.csv.
FORMAT = f"<any({', '.join(downloads.FORMATS)}):fmt>"


@bp.app_template_global()
def made_in_background() -> bool:
    """Whether the organisation shown is large enough that its spreadsheets of every initiative and its document
    are made in the background (pages offer a button that starts the job instead of a link)."""
    if "organisation" not in g:
        return False
    if "made_in_background" not in g:
        g.made_in_background = list_filter().large(g.organisation)
    return g.made_in_background


def _send(made: downloads.Download, action: str, object_type: str) -> Response:
    record_apart(action, g.organisation, object_type=object_type, object_label=made.filename)
    return Response(made.content, mimetype=made.mimetype, headers={
        "Content-Disposition": f'attachment; filename="{made.filename}"', "Cache-Control": "no-store"})


def _send_spreadsheet(made: downloads.Download) -> Response:
    return _send(made, "spreadsheet_download", "Spreadsheet")


def _started(kind: str, parameters: dict, payload: bytes | None = None) -> Response:
    """Start a job for the organisation shown; the person follows it on the job's page."""
    job = start_job(g.organisation, current_user.id, kind, parameters, payload=payload)
    return redirect(url_for("jobs.show", job_id=job.id))


def _horizon() -> int:
    return current_app.config["BENEFIT_HORIZON_YEARS"]


def _back_to_the_list():
    """The initiatives list with the filters of this request's address (and nothing else of it)."""
    listed = list_filter()
    kept = {name: request.args[name] for name in sorted(listed.arguments) if request.args.get(name)}
    return redirect(url_for(listed.page, **kept))


# -- each contributed sheet by itself ------------------------------------------------------------------

def _list_sheet_download(name: str, fmt: str) -> Response:
    """A spreadsheet of the initiatives list (`ListSheet`); a large organisation's is made by a job, which the
    list page offers to start (a link typed in leads back there, its filters kept)."""
    if made_in_background():
        return _back_to_the_list()
    made = downloads.list_spreadsheet(g.organisation, name, fmt, list_filter().asked(), _horizon(), today(),
                                      current_language())
    return _send_spreadsheet(made)


def _own_sheet_download(name: str, fmt: str) -> Response:
    """A sheet an area contributes to the workbook (`WorkbookSheet` with a name), downloaded by itself (the
    KPIs, the touchpoints …), made in the request whatever the organisation's size (a job makes only the list's
    sheets and the workbook)."""
    scope = SheetScope(today(), _horizon(), _answer_period(), asked=request.args.to_dict())
    sheet = workbook_sheet(name).make(g.organisation, scope)
    return _send_spreadsheet(downloads.spreadsheet(g.organisation, [sheet], fmt, name, today(), current_language()))


def sheet_endpoint(name: str) -> str:
    """The endpoint (in this blueprint) of a contributed sheet's own address: its name as a Python name, so that
    sheets.kpi_readings serves /kpi-readings.xlsx. The areas' pages link to their sheets by it."""
    return name.replace("-", "_")


def _sheet_view(download: Callable[[str, str], Response], name: str) -> Callable[[str], Response]:
    """The view of one contributed sheet's address: any viewer downloads it, as XLSX or CSV."""
    @requires("viewer")
    def view(fmt: str) -> Response:
        return download(name, fmt)
    return view


@bp.record
def _route_contributed_sheets(state: BlueprintSetupState) -> None:
    """An address for each sheet the areas contribute to be downloaded by itself, /<name>.xlsx or .csv: the
    list's sheets and the workbook's named ones. The rules are added as an app registers the blueprint, from
    what the areas loaded before the exchange contributed (every area with a part: the exchange loads after
    them). A name that another of this blueprint's endpoints already has is refused there by Flask."""
    served = [*((name, _list_sheet_download) for name in list_sheets(state.app)),
              *((name, _own_sheet_download) for name in own_sheets(state.app))]
    for name, download in served:
        state.add_url_rule(f"/{name}.{FORMAT}", sheet_endpoint(name), _sheet_view(download, name))


@bp.app_template_global()
def list_downloads() -> list[tuple[str, str, object]]:
    """The initiatives page's Download menu: each list sheet's endpoint, name and label, in the parts' order."""
    return [(f"{bp.name}.{sheet_endpoint(name)}", name, sheet.label) for name, sheet in list_sheets().items()]


# -- the workbook of everything --------------------------------------------------------------------------

def _answer_period() -> tuple:
    """The days whose survey answers the workbook holds: ?since= and ?until= (ISO days, as the audit trail
    reads them), else the last ANSWER_DAYS."""
    return answer_period(today(), query_day("since"), query_day("until"))


@bp.get("/export.xlsx")
@requires("viewer")
def workbook():
    if made_in_background():
        return redirect(url_for(list_filter().page))  # whose Download menu starts the job
    made = downloads.workbook(g.organisation, _horizon(), today(), current_language(), answers=_answer_period())
    return _send_spreadsheet(made)


@bp.post("/sheets/build")
@requires("viewer")
def build():
    """Start the job making a spreadsheet of the initiatives list (its filters in the address) or the workbook;
    the person follows it on the job's page."""
    sheet, fmt = request.form.get("sheet", ""), request.form.get("fmt", "")
    workbook_asked = sheet == downloads.WORKBOOK and fmt == "xlsx"
    if not workbook_asked and (sheet not in list_sheets() or fmt not in downloads.FORMATS):
        flash(_("Choose which spreadsheet to download, as XLSX or CSV."), "danger")
        return _back_to_the_list()
    parameters = {"sheet": sheet, "fmt": fmt}
    if not workbook_asked:
        listed = list_filter()
        parameters["filter"] = listed.kept(listed.asked())
    else:
        parameters["answers"] = [day.isoformat() for day in _answer_period()]
    return _started("spreadsheet", parameters)


# -- importing -----------------------------------------------------------------------------------------

def _uploaded() -> tuple[str, bytes] | None:
    """The file of this request: an upload, or the one a preview handed back for confirmation (in the form, or
    kept by the job that previewed it)."""
    if request.form.get("job"):
        job = job_of(g.organisation, current_user.id, request.form["job"])
        return job.parameters.get("filename", "import.csv"), job.payload or b""
    if request.form.get("content"):
        try:
            return request.form.get("filename", "import.csv"), base64.b64decode(request.form["content"], validate=True)
        except (ValueError, binascii.Error):
            return None
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return None
    return upload.filename, read_limited(upload.stream, PAGE_SHEET_BYTES)


def _import_page(problems: list[str], status: int, plan=None, **context):
    return render_template("exchange/import.html", plan=plan, problems=problems, **context), status


@bp.route("/initiatives/import", methods=["GET", "POST"])
@requires("steering")
@reads_upload
def import_initiatives():
    """The file is read and previewed without holding the database's write lock; a confirmed import is checked
    again and written under it."""
    if request.method == "GET":
        return _import_page([], 200)
    uploaded = _uploaded()
    if uploaded is None:
        return _import_page([_("Choose an XLSX or CSV file to import.")], 422)
    filename, content = uploaded
    if len(content) > PAGE_SHEET_BYTES:
        return _import_page([_("The file is larger than 1 MB; import it with the command line.")], 413)
    confirmed = request.form.get("confirm") == "yes"
    if jobs.in_background(content):
        start_writing()
        return _started("sheet_import", {"filename": filename, "confirm": confirmed}, payload=content)
    try:
        tables = read_tables(filename, content)
    except Unreadable as unreadable:
        return _import_page([str(unreadable)], 422)
    if confirmed:
        start_writing()
    plan = check_sheet(g.organisation, tables, current_language())
    if plan.problems or not confirmed:
        return _import_page(plan.problems, 422 if plan.problems else 200, plan=plan, filename=filename,
                            content=base64.b64encode(content).decode("ascii"))
    try:
        write_sheet(g.organisation, plan)
        db.session.flush()
    except (DomainError, IntegrityError, StaleDataError) as refusal:
        db.session.rollback()
        reason = " ".join(refusal.errors.values()) if isinstance(refusal, DomainError) else _(
            "Someone changed the same initiatives at the same moment.")
        return _import_page([_("Nothing was imported: %(reason)s", reason=reason)], 422)
    flash(summary(plan), "success")
    return redirect(url_for(list_filter().page, archive="all"))


# -- the whole organisation as a cxroadmap/1 document --------------------------------------------------

@bp.get("/export.json")
@requires("admin")
def document():
    if made_in_background():
        return redirect(url_for("settings.edit"))  # which offers to make it in the background
    with_answers = request.args.get("answers") == "1"
    return _send(downloads.document(g.organisation, today(), with_answers=with_answers), "document_download",
                 "Organisation")


@bp.post("/export.json/build")
@requires("admin")
def build_document():
    """Start the job making the organisation's cxroadmap/1 document; the person follows it on the job's page."""
    return _started("document_export", {"with_answers": request.form.get("answers") == "1"})


@bp.route("/settings/import", methods=["GET", "POST"])
@requires("admin")
@reads_upload
def import_document():
    """The document is read and checked whole without holding the database's write lock; then it replaces the
    contents under it."""
    if request.method == "GET":
        return render_template("exchange/replace.html", problems=[])
    upload = request.files.get("file")
    problems = []
    if upload is None or not upload.filename:
        problems.append(_("Choose a cxroadmap/1 JSON file."))
    elif request.form.get("confirm") != "yes":
        problems.append(_("Tick the box to say that the document replaces what is here."))
    if problems:
        return render_template("exchange/replace.html", problems=problems), 422
    content = upload.read()  # within the request's limit (MAX_CONTENT_LENGTH): a larger form is refused whole
    if jobs.in_background(content):
        start_writing()
        return _started("document_replace", {"filename": upload.filename}, payload=content)
    try:
        plan = plan_replacement(content)
        start_writing()
        replace_contents(g.organisation, plan)
        db.session.flush()
    except ImportRefused as refused:
        db.session.rollback()
        problems = refused.problems
    except (DomainError, IntegrityError) as refusal:
        db.session.rollback()
        problems = list(refusal.errors.values()) if isinstance(refusal, DomainError) else [
            _("The document clashes with itself (a duplicate name or reference?).")]
    if problems:
        return render_template("exchange/replace.html", problems=problems), 422
    flash(_("%(name)s now holds what the document describes.", name=g.organisation.name), "success")
    return redirect(url_for("overview.show"))
