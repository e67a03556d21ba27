"""The reports page: issue a report into the archive, download it, or download the current one."""

from flask import Response, abort, current_app, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.accounts.authz import requires
from cxroadmap.audit.services import record_apart
from cxroadmap.errors import NotFound
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.reports import services
from cxroadmap.timeutil import today, utcnow
from cxroadmap.web import organisation_blueprint

bp = organisation_blueprint("reports", __name__)


def _pdf(content: bytes, filename: str) -> Response:
    response = Response(content, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _make(kind: str, for_issue: bool = False) -> services.MadeReport:
    if kind not in services.RENDERERS:
        abort(404)
    config = current_app.config
    return services.make_report(g.organisation, kind, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                config["ROLE_STATEMENT_MAX_AGE_DAYS"], for_issue=for_issue)


@bp.get("/reports")
@requires("viewer")
def index():
    return render_template("reports/index.html", reports=services.issued_reports(g.organisation),
                           kinds=services.KIND_LABELS)


@bp.post("/reports/issue")
@requires("steering")
def issue():
    kind = request.form.get("kind", "")
    if kind not in services.RENDERERS:
        flash(_("Choose which report to issue: the roadmap or the executive summary."), "danger")
        return redirect(url_for(".index"))
    made = _make(kind, for_issue=True)
    report = services.issue_report(g.organisation, made, current_user.name or current_user.email)
    db.session.commit()
    flash(_("%(report)s issued and kept in the archive.", report=services.KIND_LABELS[report.kind]), "success")
    return redirect(url_for(".index"))


@bp.get("/reports/<int:report_id>/<filename>")
@requires("viewer")
def download(report_id: int, filename: str):
    try:
        report = services.issued_report(g.organisation, report_id)
    except NotFound:
        abort(404)
    record_apart("report_download", g.organisation, object_type="Report", object_id=str(report.id),
                 object_label=report.filename)
    return _pdf(report.content, report.filename)


@bp.get("/reports/current/<kind>.pdf")
@requires("viewer")
def current(kind: str):
    made = _make(kind)
    record_apart("report_download", g.organisation, object_type="Report", object_label=f"{made.filename} (current)")
    return _pdf(made.content, made.filename)
