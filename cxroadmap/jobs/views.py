"""A job's page: how far it is (the page asks again by itself), then its result or why it failed."""

from flask import current_app, g, jsonify, render_template
from flask_login import current_user

from cxroadmap.access import can, requires
from cxroadmap.audit.services import record_apart
from cxroadmap.errors import NotInOrganisation
from cxroadmap.jobs import services
from cxroadmap.jobs.runner import timeout
from cxroadmap.timeutil import utcnow
from cxroadmap.web import file_response, organisation_blueprint

bp = organisation_blueprint("jobs", __name__)


def _load(job_id: str):
    job = services.job_of(g.organisation, current_user.id, job_id)
    kind = services.KINDS.get(job.kind)
    if kind is not None and not can(kind.role):
        raise NotInOrganisation()  # asked for with a role the asker no longer holds: as if it were someone else's
    return job, services.status_of(job, utcnow(), timeout(current_app))


@bp.get("/jobs/<job_id>")
@requires("viewer")
def show(job_id: str):
    job, status = _load(job_id)
    return render_template("jobs/show.html", job=job, status=status, kind=services.KINDS.get(job.kind))


@bp.get("/jobs/<job_id>/status")
@requires("viewer")
def status(job_id: str):
    _job, status = _load(job_id)
    response = jsonify(status.as_json())
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/jobs/<job_id>/download/<filename>")
@requires("viewer")
def download(job_id: str, filename: str):
    job, status = _load(job_id)
    if status.state != "done" or not job.result_filename or filename != job.result_filename:
        raise NotInOrganisation()
    kind = services.KINDS.get(job.kind)
    record_apart(kind.download_action if kind else "report_download", g.organisation,
                 object_type=kind.download_object if kind else "Report", object_label=job.result_filename)
    return file_response(job.result, job.result_type, job.result_filename, inline=False)
