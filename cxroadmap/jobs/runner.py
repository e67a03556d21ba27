"""Running jobs: on RQ workers when a job queue (Redis) is configured, otherwise in a background thread of the
web process. Either way the job's row in the database is the one record of its progress and result."""

import concurrent.futures
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import timedelta

from flask import Flask, current_app
from sqlalchemy import update

from cxroadmap.accounts.models import User
from cxroadmap.audit.services import Actor, reset_actor, set_actor
from cxroadmap.database import end_reading, writing
from cxroadmap.extensions import db
from cxroadmap.i18n import _, current_language, in_language
from cxroadmap.jobs.models import Job
from cxroadmap.jobs.services import KINDS, JobRefused, Outcome, publish_progress, submit
from cxroadmap.mail import deliver_with, send_queued_mail
from cxroadmap.organisations.models import Organisation
from cxroadmap.timeutil import utcnow
from cxroadmap.web import after_commit

QUEUE_NAME = "cxroadmap"
# What RQ is asked to call: a name, so the web process never imports the worker's side.
PERFORM = "cxroadmap.worker.perform"


def timeout(app: Flask) -> timedelta:
    return timedelta(minutes=int(app.config["JOB_TIMEOUT_MINUTES"]))


def start_job(organisation: Organisation, user_id: int, kind: str, parameters: dict,
              payload: bytes | None = None) -> Job:
    """Ask for work in the background, in the reader's language: recorded now, handed to a worker once this
    request is committed (the worker must find its row)."""
    job = submit(organisation, user_id, kind, parameters, current_language(), payload)
    app, job_id = current_app._get_current_object(), job.id
    after_commit(lambda: dispatch(app, job_id))
    return job


def dispatch(app: Flask, job_id: str) -> None:
    if app.config.get("JOB_QUEUE"):
        _enqueue(app, job_id)
    else:
        _threads(app).submit(_run_in_thread, app, job_id)


# -- RQ ------------------------------------------------------------------------------------------------

def redis_connection(app: Flask):
    from redis import Redis

    return Redis.from_url(app.config["JOB_QUEUE"])


def rq_queue(app: Flask, connection=None):
    from rq import Queue

    return Queue(QUEUE_NAME, connection=connection or redis_connection(app))


def _enqueue(app: Flask, job_id: str) -> None:
    from redis.exceptions import RedisError

    try:
        seconds = int(timeout(app).total_seconds())
        rq_queue(app).enqueue_call(PERFORM, args=(job_id,), timeout=seconds, result_ttl=0,
                                   failure_ttl=24 * 3600, job_id=f"cxroadmap-{job_id}")
    except RedisError:
        app.logger.exception("could not queue job %s", job_id)
        _fail(job_id, _("The job queue cannot be reached, so nothing was started. Try again later, or tell an "
                        "administrator."))


# -- in-process threads --------------------------------------------------------------------------------

_POOL_LOCK = threading.Lock()


def _threads(app: Flask) -> concurrent.futures.ThreadPoolExecutor:
    """The process's few job threads, made on first use (in each gunicorn worker, after it forked)."""
    with _POOL_LOCK:
        pool = app.extensions.get("cxroadmap_jobs")
        if pool is None:
            pool = app.extensions["cxroadmap_jobs"] = concurrent.futures.ThreadPoolExecutor(
                max_workers=max(1, min(int(app.config["JOB_THREADS"]), 4)), thread_name_prefix="cxroadmap-job")
        return pool


def _run_in_thread(app: Flask, job_id: str) -> None:
    with app.app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def wait_for_jobs(app: Flask) -> None:
    """Wait until the in-process threads have done every job and every short work handed to them (tests; an
    orderly shutdown)."""
    wait_for_soon(app)
    pool = app.extensions.pop("cxroadmap_jobs", None)
    if pool is not None:
        pool.shutdown(wait=True)


def wait_for_soon(app: Flask) -> None:
    """Wait until the short work handed to this process's thread for it (`soon`) is done (tests: what a person
    sees a moment after an answer)."""
    kept = app.extensions.pop("cxroadmap_soon", None)
    if kept is not None:
        kept.shutdown(wait=True)


# -- short work of this process, soon ------------------------------------------------------------------

class _Soon:
    """This process's one thread for short work, and the work waiting to start in it."""

    def __init__(self) -> None:
        self.threads = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="cxroadmap-soon")
        self.waiting: set = set()

    def shutdown(self, wait: bool) -> None:
        self.threads.shutdown(wait=wait)


def soon(app: Flask, work: Callable[[Flask], None], after: float = 0) -> None:
    """Have work(app) run in `after` seconds, in app context, in this process's one thread for short work (never
    behind a long report in the jobs' threads). Asked again while it waits to start, it is not queued twice: the run
    that starts does what all asked for (work must do everything waiting, not one thing), so asking often costs
    one run per `after` seconds."""
    with _POOL_LOCK:
        kept = app.extensions.get("cxroadmap_soon")
        if kept is None:
            kept = app.extensions["cxroadmap_soon"] = _Soon()
        if work in kept.waiting:
            return
        kept.waiting.add(work)
    kept.threads.submit(_run_soon, app, kept, work, after)


def _run_soon(app: Flask, kept: _Soon, work: Callable[[Flask], None], after: float) -> None:
    if after > 0:
        time.sleep(after)
    with _POOL_LOCK:
        kept.waiting.discard(work)  # from here on, whatever is asked for again runs once more after this run
    with app.app_context():
        try:
            work(app)
        finally:
            db.session.remove()


# -- mail queued by requests ---------------------------------------------------------------------------

SEND_MAIL = "cxroadmap.worker.send_mail"


def _deliver_mail(app: Flask) -> None:
    """Send the mail requests queued (mail.send_queued_mail) in the background, as jobs run: on the job queue's
    workers, or in a thread of this process. Whatever is not sent now, `flask notify` sends."""
    if app.config.get("JOB_QUEUE"):
        from redis.exceptions import RedisError

        try:
            rq_queue(app).enqueue_call(SEND_MAIL, timeout=int(timeout(app).total_seconds()), result_ttl=0,
                                       failure_ttl=24 * 3600)
        except RedisError:
            app.logger.exception("could not queue the sending of mail; `flask notify` will send it")
    else:
        _threads(app).submit(_send_mail_in_thread, app)


def _send_mail_in_thread(app: Flask) -> None:
    with app.app_context():
        try:
            send_queued_mail(utcnow())
        except Exception:
            app.logger.exception("sending the queued mail failed; `flask notify` will try again")
        finally:
            db.session.remove()


deliver_with(_deliver_mail)


# -- running one job -----------------------------------------------------------------------------------

def run_job(job_id: str) -> None:
    """Do the work of a queued job, in its asker's name and language; the job's row says how it went.

    The work and the job's outcome are committed together: a failed job changed nothing.
    """
    job = db.session.get(Job, job_id)
    if job is None or job.state != "queued":
        return  # deleted, or already taken by another worker
    kind, language = KINDS.get(job.kind), job.language
    user = db.session.get(User, job.user_id)
    job.state, job.started_at, job.progress = "running", utcnow(), 1
    with in_language(language):
        job.message = _("Starting…")
    db.session.commit()
    token = set_actor(Actor(user.name or user.email if user else "job", user.id if user else None))
    try:
        with in_language(language):
            if kind is None:
                raise JobRefused(_("This kind of work is no longer offered."))
            outcome = kind.work(job, Progress(job_id))
            with writing_from_here():  # the work's own changes are committed here
                _finish(job, outcome)
            db.session.commit()
    except JobRefused as refusal:
        db.session.rollback()
        _fail(job_id, refusal.message, refusal.problems)
    except Exception:
        db.session.rollback()
        current_app.logger.exception("job %s failed", job_id)
        with in_language(language):
            _fail(job_id, _("Something went wrong while doing this; it has been logged for the administrators. "
                            "Nothing was changed. Try again later."))
    finally:
        reset_actor(token)


@contextmanager
def writing_from_here() -> Iterator[None]:
    """From here on the job writes: what it read so far stays loaded, and its transaction starts again taking
    SQLite's write lock at once (the progress it published meanwhile would otherwise refuse its writes)."""
    end_reading(db.session())
    with writing():
        yield


class Progress:
    """What a job's work calls to say how far it is: written at most once a second, and when the message
    changes, so that a fine-grained count costs the database almost nothing."""

    def __init__(self, job_id: str):
        self.job_id, self.last = job_id, (0.0, -1, "")

    def __call__(self, progress: int, message: str) -> None:
        moment, said, text = self.last
        now = time.monotonic()
        if message != text or (int(progress) != said and now - moment >= 1.0):
            publish_progress(self.job_id, progress, message)
            self.last = (now, int(progress), message)


def _finish(job: Job, outcome: Outcome) -> None:
    job.state, job.progress, job.finished_at = "done", 100, utcnow()
    job.outcome = outcome.shown
    if outcome.result is not None:
        job.result, job.result_size = outcome.result, len(outcome.result)
        job.result_filename, job.result_type = outcome.filename, outcome.content_type
    if not outcome.keep_payload:
        job.payload = None
    db.session.flush()


def _fail(job_id: str, error: str, problems: list[str] | None = None) -> None:
    with db.engine.begin() as connection:
        connection.execute(update(Job).where(Job.id == job_id).values(
            state="failed", error=error, problems=list(problems or []), finished_at=utcnow()))
