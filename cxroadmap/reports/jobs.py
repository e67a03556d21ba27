"""Reports built in the background: a large organisation's PDF, downloaded or issued from the job's page."""

from flask import current_app

from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.runner import writing_from_here
from cxroadmap.jobs.services import Outcome, job_kind
from cxroadmap.organisations.models import Organisation
from cxroadmap.reportkit.document import LAYOUT_PROGRESS
from cxroadmap.reports import services
from cxroadmap.timeutil import today, utcnow


def _title(job: Job) -> str:
    kind = services.report_kinds().get(job.parameters.get("kind"))
    name = str(kind.label) if kind is not None else _("Report")
    return _("%(report)s: issue and keep", report=name) if job.parameters.get("issue") else name


@job_kind("report", _title, section="reports/_job.html")
def build_report(job: Job, progress) -> Outcome:
    """The PDF as it stands; issued (kept with who, when, its SHA-256 and bytes) when the job says so."""
    organisation = db.session.get(Organisation, job.organisation_id)
    issue, config = bool(job.parameters.get("issue")), current_app.config
    kind = services.report_kind(job.parameters.get("kind"))
    if not kind.issued:  # downloaded only (the steering deck): nothing to compare with, no pages to lay out
        progress(5, _("Gathering the figures…"))
        made = services.make_download(organisation, kind.slug, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                      config["ROLE_STATEMENT_MAX_AGE_DAYS"])
        return Outcome(made.content, made.filename, kind.mime, {})
    progress(2, _("Gathering the figures…"))
    token = LAYOUT_PROGRESS.set(lambda share: progress(5 + int(share * 90), _("Laying out the pages…")))
    try:
        made = services.make_report(organisation, job.parameters["kind"], today(), utcnow(),
                                    config["BENEFIT_HORIZON_YEARS"], config["ROLE_STATEMENT_MAX_AGE_DAYS"],
                                    for_issue=issue)
    finally:
        LAYOUT_PROGRESS.reset(token)
    progress(97, _("Keeping the file…"))
    shown = {}
    if issue:
        with writing_from_here():
            report = services.issue_report(organisation, made, job.parameters.get("issued_by", ""))
        shown = {"issued_report_id": report.id, "sha256": report.sha256}
    return Outcome(made.content, made.filename, kind.mime, shown)
