"""The reports page: issue a report into the archive, download it, or download the current one."""

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import requires
from cxroadmap.audit.services import record_apart
from cxroadmap.errors import NotInOrganisation
from cxroadmap.i18n import _
from cxroadmap.jobs.runner import start_job
from cxroadmap.reports import (
    jobs,  # noqa: F401 - importing it registers the report job kind
    services,
)
from cxroadmap.timeutil import today, utcnow
from cxroadmap.web import file_response, organisation_blueprint, pdf_response

bp = organisation_blueprint("reports", __name__)


def _make(kind: str, for_issue: bool = False) -> services.MadeReport:
    if kind not in services.report_kinds(issued=True):
        raise NotInOrganisation()
    config = current_app.config
    return services.make_report(g.organisation, kind, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                config["ROLE_STATEMENT_MAX_AGE_DAYS"], for_issue=for_issue,
                                stale_days=config["STALE_UPDATE_DAYS"])


@bp.get("/reports")
@requires("viewer")
def index():
    reports = services.issued_reports(g.organisation)
    return render_template("reports/index.html", reports=reports, issuers=services.issuers(g.organisation, reports),
                           kinds=services.kind_labels(), in_background=services.in_background(g.organisation))


@bp.post("/reports/issue")
@requires("steering")
def issue():
    kind = request.form.get("kind", "")
    if kind not in services.report_kinds(issued=True):
        flash(_("Choose which report to issue: the roadmap or the executive summary."), "danger")
        return redirect(url_for(".index"))
    if services.report_kind(kind).large(g.organisation):
        return _in_background(kind, issue=True)
    made = _make(kind, for_issue=True)
    report = services.issue_report(g.organisation, made, current_user.name or current_user.email)
    flash(_("%(report)s issued and kept in the archive.", report=services.kind_labels()[report.kind]), "success")
    return redirect(url_for(".index"))


@bp.post("/reports/build")
@requires("viewer")
def build():
    kind = request.form.get("kind", "")
    if kind not in services.report_kinds():
        flash(_("Choose which report to download: the roadmap or the executive summary."), "danger")
        return redirect(url_for(".index"))
    return _in_background(kind, issue=False)


def _in_background(kind: str, issue: bool):
    """Large organisations' reports are built by a job; the person follows it on the job's page."""
    parameters = {"kind": kind, "issue": issue, "issued_by": current_user.name or current_user.email}
    job = start_job(g.organisation, current_user.id, "report", parameters)
    return redirect(url_for("jobs.show", job_id=job.id))


@bp.get("/reports/<int:report_id>/<filename>")
@requires("viewer")
def download(report_id: int, filename: str):
    report = services.issued_report(g.organisation, report_id)
    record_apart("report_download", g.organisation, object_type="Report", object_id=str(report.id),
                 object_label=report.filename)
    return pdf_response(report.content, report.filename, inline=False)


@bp.get("/reports/current/<kind>.pdf")
@requires("viewer")
def current(kind: str):
    issued = services.report_kinds(issued=True)
    if kind in issued and issued[kind].large(g.organisation):
        return redirect(url_for(".index"))  # which offers to build it in the background
    made = _make(kind)
    record_apart("report_download", g.organisation, object_type="Report", object_label=f"{made.filename} (current)")
    return pdf_response(made.content, made.filename, inline=False)


@bp.get("/reports/current/deck.pptx")
@requires("viewer")
def deck():
    """The steering deck as it stands now; a large organisation's is built in the background, as its PDFs are."""
    kind = services.report_kind("deck")
    if kind.large(g.organisation):
        return redirect(url_for(".index"))
    config = current_app.config
    made = services.make_download(g.organisation, kind.slug, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                  config["ROLE_STATEMENT_MAX_AGE_DAYS"])
    record_apart("report_download", g.organisation, object_type="Report", object_label=f"{made.filename} (current)")
    return file_response(made.content, kind.mime, made.filename, inline=False)


@bp.get("/reports/current/<kind>.html")
@requires("viewer")
def readable(kind: str):
    """The report as an accessible page, with the same content as its PDF (which ReportLab cannot tag)."""
    config = current_app.config
    values = services.readable_report(g.organisation, kind, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                      config["ROLE_STATEMENT_MAX_AGE_DAYS"])
    return render_template("reports/readable.html", kind=kind, title=services.kind_labels()[kind], **values)
