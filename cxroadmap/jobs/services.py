"""Jobs: the kinds of work that may run in the background, asking for one, and reading it back."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import delete, or_, select, update
from sqlalchemy.exc import OperationalError

from cxroadmap.errors import NotInOrganisation
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.jobs.models import FINISHED, Job
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import aware


@dataclass(frozen=True)
class Outcome:
    """What a job's work hands back: a file to download, what its page shows, whether the upload stays."""

    result: bytes | None = None
    filename: str = ""
    content_type: str = ""
    shown: dict = field(default_factory=dict)
    keep_payload: bool = False


# A job's work: given the job (to read its parameters, payload and organisation; not to change) and a way to say
# how far it is, it does the work in the session and returns its Outcome, or raises JobRefused. Before it
# writes anything it enters runner.writing_from_here(); the runner commits.
Work = Callable[[Job, Callable[[int, str], None]], Outcome]


@dataclass(frozen=True)
class JobKind:
    name: str
    work: Work
    title: Callable[[Job], str]  # what its page calls it, in the reader's language
    section: str | None = None  # a template showing its outcome on the job's page
    download_action: str = "report_download"  # what a download of its result is called in the audit trail
    download_object: str = "Report"  # and what it names as downloaded
    role: str = "viewer"  # the role its page and result need, as the view that starts it does


KINDS: dict[str, JobKind] = {}


def job_kind(name: str, title: Callable[[Job], str], section: str | None = None,
             download_action: str = "report_download", download_object: str = "Report", role: str = "viewer"):
    """Register the decorated function as the work of jobs of this kind (areas above jobs offer their work so).
    role: what the asker must still hold to see the job's page and take its result (a member whose role was
    lowered after asking loses them)."""
    def register(work: Work) -> Work:
        KINDS[name] = JobKind(name, work, title, section, download_action, download_object, role)
        return work
    return register


class JobRefused(Exception):
    """The work cannot be done as asked: a readable reason, and every problem found (nothing was written)."""

    def __init__(self, message: str, problems: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = list(problems or [])


def submit(organisation: Organisation, user_id: int, kind: str, parameters: dict, language: str,
           payload: bytes | None = None) -> Job:
    """Record a job, queued; the caller starts it once this is committed (runner.start_after_commit)."""
    if kind not in KINDS:
        raise ValueError(f"no job kind {kind!r}")
    job = Job(organisation_id=organisation.id, user_id=user_id, kind=kind, parameters=parameters,
              language=language, payload=payload, state="queued", progress=0, message=_("Waiting to start…"))
    db.session.add(job)
    db.session.flush()
    return job


def job_of(organisation: Organisation, user_id: int, job_id: str) -> Job:
    """The job of this organisation that this person asked for; anyone else's, or another organisation's, is
    not there (NotInOrganisation, a 404)."""
    job = db.session.scalar(Job.scoped_to(organisation).where(Job.id == job_id, Job.user_id == user_id))
    if job is None:
        raise NotInOrganisation(_("No such job."))
    return job



def overdue(job: Job, now: datetime, timeout: timedelta) -> bool:
    """Whether an unfinished job has stopped: queued or running for longer than any job may run (the process
    that ran it was restarted, or no worker takes the queue)."""
    if job.state in FINISHED:
        return False
    since = aware(job.started_at or job.created_at)
    return now - since > timeout


@dataclass(frozen=True)
class JobStatus:
    """A job as its page shows it: an overdue job is shown failed, even before anyone has marked it so."""

    state: str
    progress: int
    message: str
    error: str

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    def as_json(self) -> dict:
        return {"state": self.state, "progress": self.progress, "message": self.message, "error": self.error}


def status_of(job: Job, now: datetime, timeout: timedelta) -> JobStatus:
    if overdue(job, now, timeout) or (job.state == "failed" and not job.error):
        # A job marked failed without a reason is one that stopped (see tidy_jobs).
        return JobStatus("failed", job.progress, job.message, _(
            "It stopped without finishing, probably because the server restarted. Nothing was changed; start it "
            "again."))
    progress = 100 if job.state == "done" else job.progress
    return JobStatus(job.state, progress, job.message, job.error)


def publish_progress(job_id: str, progress: int, message: str) -> None:
    """Say how far a job is, on a connection of its own and committed at once, so every web process sees it
    while the job's own transaction is still open."""
    try:
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == job_id, Job.state == "running")
                               .values(progress=max(0, min(int(progress), 99)), message=message[:300]))
    except OperationalError:  # the database is busy (SQLite's write lock): the next report will do
        current_app.logger.warning("could not record the progress of job %s", job_id)


def tidy_jobs(now: datetime, keep: timedelta, timeout: timedelta) -> tuple[int, int]:
    """Mark the jobs that stopped unfinished as failed, and delete jobs (and their results) older than keep.

    Returns (marked failed, deleted); flushes, never commits.
    """
    stale, older, finished = _to_tidy(now, keep, timeout)
    if stale:
        db.session.execute(update(Job).where(Job.id.in_(stale)).values(
            state="failed", error="", finished_at=now), execution_options={"synchronize_session": False})
    old = db.session.execute(delete(Job).where(older, finished), execution_options={"synchronize_session": False})
    db.session.flush()
    return len(stale), old.rowcount or 0


def _to_tidy(now: datetime, keep: timedelta, timeout: timedelta):
    stale = [job.id for job in db.session.scalars(select(Job).where(Job.state.not_in(FINISHED)))
             if overdue(job, now, timeout)]
    old = or_(Job.state.in_(FINISHED), Job.created_at < now - keep - timeout)
    return stale, Job.created_at < now - keep, old


def jobs_to_tidy(now: datetime, keep: timedelta, timeout: timedelta) -> int:
    """How many jobs tidy_jobs would mark failed or delete (counted, nothing changed)."""
    from sqlalchemy import func

    stale, older, finished = _to_tidy(now, keep, timeout)
    # A job marked failed is finished, and deleted too when it is old enough.
    deleted = select(func.count()).select_from(Job).where(older, or_(finished, Job.id.in_(stale)))
    return len(stale) + (db.session.scalar(deleted) or 0)


def backlog():
    """What the site administrator's page shows of jobs: queued or running, and failed (kept JOB_KEEP_DAYS)."""
    from sqlalchemy import func

    from cxroadmap.i18n import _l
    from cxroadmap.scheduler import Backlog, Failure

    def count() -> tuple[int, int]:
        waiting = db.session.scalar(select(func.count()).select_from(Job).where(Job.state.not_in(FINISHED)))
        failed = db.session.scalar(select(func.count()).select_from(Job).where(Job.state == "failed"))
        return waiting, failed

    def failures(limit: int) -> list[Failure]:
        query = (select(Job, Organisation.name).join(Organisation, Organisation.id == Job.organisation_id)
                 .where(Job.state == "failed").order_by(Job.finished_at.desc(), Job.created_at.desc()).limit(limit))
        return [Failure(aware(job.finished_at), name, job.kind,
                        job.error or _("It stopped without finishing, probably because the server restarted."))
                for job, name in db.session.execute(query)]

    return Backlog("jobs", _l("Background jobs"), count, failures)
