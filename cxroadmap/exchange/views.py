"""Spreadsheet downloads of the list pages and of the whole organisation; importing initiatives from one."""

import base64
import binascii

from flask import Response, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from cxroadmap.access import requires
from cxroadmap.audit.services import record_apart
from cxroadmap.errors import DomainError
from cxroadmap.exchange import jobs, spreadsheets
from cxroadmap.exchange.export import dumps, export_document
from cxroadmap.exchange.importer import ImportRefused
from cxroadmap.exchange.replace import replace_contents
from cxroadmap.exchange.sheet_import import check_sheet, write_sheet
from cxroadmap.exchange.sheets import Sheet, write_csv, write_xlsx
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language
from cxroadmap.initiatives.views import list_filter
from cxroadmap.jobs.runner import start_job
from cxroadmap.jobs.services import job_of
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint

bp = organisation_blueprint("sheets", __name__)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = "<any(xlsx, csv):fmt>"


def _download(sheets: list[Sheet], fmt: str, name: str) -> Response:
    organisation = g.organisation
    filename = f"{organisation.slug}-{name}-{today().isoformat()}.{fmt}"
    if fmt == "csv":
        content, mimetype = write_csv(sheets[0]), "text/csv"
    else:
        content, mimetype = write_xlsx(sheets, organisation.currency, current_language()), XLSX
    record_apart("spreadsheet_download", organisation, object_type="Spreadsheet", object_label=filename)
    return Response(content, mimetype=mimetype, headers={
        "Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


def _horizon() -> int:
    return current_app.config["BENEFIT_HORIZON_YEARS"]


@bp.get(f"/initiatives.{FORMATS}")
@requires("viewer")
def initiatives(fmt: str):
    return _download([spreadsheets.initiatives_sheet(g.organisation, list_filter(), _horizon(), today())], fmt,
                     "initiatives")


@bp.get(f"/benefits.{FORMATS}")
@requires("viewer")
def benefits(fmt: str):
    return _download([spreadsheets.benefits_sheet(g.organisation, list_filter())], fmt, "benefits")


@bp.get(f"/status-updates.{FORMATS}")
@requires("viewer")
def status_updates(fmt: str):
    return _download([spreadsheets.status_updates_sheet(g.organisation, list_filter())], fmt, "status-updates")


@bp.get(f"/milestones.{FORMATS}")
@requires("viewer")
def milestones(fmt: str):
    return _download([spreadsheets.milestones_sheet(g.organisation, list_filter())], fmt, "milestones")


@bp.get(f"/decisions.{FORMATS}")
@requires("viewer")
def decisions(fmt: str):
    return _download([spreadsheets.decisions_sheet(g.organisation)], fmt, "decisions")


@bp.get(f"/actions.{FORMATS}")
@requires("viewer")
def actions(fmt: str):
    return _download([spreadsheets.actions_sheet(g.organisation, request.args.get("state", "all"))], fmt, "actions")


@bp.get(f"/kpis.{FORMATS}")
@requires("viewer")
def kpis(fmt: str):
    return _download([spreadsheets.kpis_sheet(g.organisation, today())], fmt, "kpis")


@bp.get(f"/kpi-readings.{FORMATS}")
@requires("viewer")
def kpi_readings(fmt: str):
    return _download([spreadsheets.kpi_readings_sheet(g.organisation)], fmt, "kpi-readings")


@bp.get(f"/touchpoints.{FORMATS}")
@requires("viewer")
def touchpoints(fmt: str):
    return _download([spreadsheets.touchpoints_sheet(g.organisation, today())], fmt, "touchpoints")


@bp.get("/export.xlsx")
@requires("viewer")
def workbook():
    return _download(spreadsheets.organisation_workbook(g.organisation, _horizon(), today()), "xlsx", "export")


# -- importing -----------------------------------------------------------------------------------------

MAX_IMPORT_BYTES = 1024 * 1024  # the confirmation carries the file back, and the request limit is 2 MB


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
    return upload.filename, upload.read(MAX_IMPORT_BYTES + 1)


@bp.route("/initiatives/import", methods=["GET", "POST"])
@requires("steering")
def import_initiatives():
    if request.method == "GET":
        return render_template("exchange/import.html", plan=None, problems=[])
    uploaded = _uploaded()
    if uploaded is None:
        return render_template("exchange/import.html", plan=None,
                               problems=[_("Choose an XLSX or CSV file to import.")]), 422
    filename, content = uploaded
    if len(content) > MAX_IMPORT_BYTES:
        return render_template("exchange/import.html", plan=None,
                               problems=[_("The file is larger than 1 MB; import it with the command line.")]), 413
    if jobs.in_background(content):
        job = start_job(g.organisation, current_user.id, "sheet_import",
                        {"filename": filename, "confirm": request.form.get("confirm") == "yes"}, payload=content)
        return redirect(url_for("jobs.show", job_id=job.id))
    plan = check_sheet(g.organisation, filename, content, current_language())
    if plan.problems or request.form.get("confirm") != "yes":
        status = 422 if plan.problems else 200
        return render_template("exchange/import.html", plan=plan, problems=plan.problems, filename=filename,
                               content=base64.b64encode(content).decode("ascii")), status
    try:
        write_sheet(g.organisation, plan)
        db.session.flush()
    except (DomainError, IntegrityError, StaleDataError) as refusal:
        db.session.rollback()
        reason = " ".join(refusal.errors.values()) if isinstance(refusal, DomainError) else _(
            "Someone changed the same initiatives at the same moment.")
        return render_template("exchange/import.html", plan=None, problems=[
            _("Nothing was imported: %(reason)s", reason=reason)]), 422
    flash(_("Imported: %(created)s created, %(updated)s updated, %(benefits)s benefit estimates added.",
            created=len(plan.created), updated=len(plan.updated), benefits=plan.benefits_created), "success")
    return redirect(url_for("initiatives.index", archive="all"))


# -- the whole organisation as a cxroadmap/1 document --------------------------------------------------

@bp.get("/export.json")
@requires("admin")
def document():
    text = dumps(export_document(g.organisation))
    filename = f"{g.organisation.slug}-{today().isoformat()}.json"
    record_apart("document_download", g.organisation, object_type="Organisation", object_label=filename)
    return Response(text, mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"', "Cache-Control": "no-store"})


@bp.route("/settings/import", methods=["GET", "POST"])
@requires("admin")
def import_document():
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
    content = upload.read()
    if jobs.in_background(content):
        job = start_job(g.organisation, current_user.id, "document_replace", {"filename": upload.filename},
                        payload=content)
        return redirect(url_for("jobs.show", job_id=job.id))
    try:
        text = content.decode("utf-8-sig")
        replace_contents(g.organisation, text)
        db.session.flush()
    except UnicodeDecodeError:
        db.session.rollback()
        problems = [_("The file is not UTF-8 text.")]
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
