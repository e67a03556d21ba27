"""Spreadsheet downloads of the list pages and of the whole organisation; importing initiatives from one."""

from flask import Response, current_app, g, request

from cxroadmap.accounts.authz import requires
from cxroadmap.audit.services import record_apart
from cxroadmap.exchange import spreadsheets
from cxroadmap.exchange.sheets import Sheet, write_csv, write_xlsx
from cxroadmap.i18n import current_language
from cxroadmap.initiatives.views import list_filter
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


@bp.get("/export.xlsx")
@requires("viewer")
def workbook():
    return _download(spreadsheets.organisation_workbook(g.organisation, _horizon(), today()), "xlsx", "export")
