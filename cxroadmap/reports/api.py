"""The API's issued reports: the list, and one report's PDF."""

from flask import Response as FileResponse

from cxroadmap.apikit.resources import api_url, paged
from cxroadmap.apikit.schemas import Moment, Page, Response
from cxroadmap.apikit.spec import ApiOperations, operation
from cxroadmap.audit.services import record_apart
from cxroadmap.organisations.models import Organisation
from cxroadmap.reports.models import IssuedReport
from cxroadmap.reports.services import issued_report

bp = ApiOperations()


class Report(Response):
    id: int
    kind: str
    issued_at: Moment
    issued_by: str
    filename: str
    sha256: str
    size: int
    download_url: str


class ReportList(Response):
    items: list[Report]


@operation(bp, "GET", "/o/<slug>/reports", summary="Issued reports, latest first", tag="Reports",
           query=Page, response=ReportList, headers=["Link"])
def list_reports(organisation: Organisation, query: Page):
    issued = IssuedReport.scoped_to(organisation).order_by(IssuedReport.issued_at.desc(), IssuedReport.id.desc())
    rows, headers = paged(issued, query)
    return ReportList(items=[Report(
        id=r.id, kind=r.kind, issued_at=r.issued_at, issued_by=r.issued_by, filename=r.filename, sha256=r.sha256,
        size=r.size, download_url=api_url(f"/o/{organisation.slug}/reports/{r.id}/download")) for r in rows]), headers


@operation(bp, "GET", "/o/<slug>/reports/<int:report_id>/download", summary="The PDF of an issued report",
           tag="Reports", media="application/pdf")
def download_report(organisation: Organisation, report_id: int):
    report = issued_report(organisation, report_id)
    record_apart("report_download", organisation, object_type="Report", object_id=str(report.id),
                 object_label=report.filename)
    return FileResponse(report.content, mimetype="application/pdf",
                        headers={"Content-Disposition": f'attachment; filename="{report.filename}"'})
