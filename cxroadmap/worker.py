"""The RQ side of background jobs: what a worker calls, and `flask --app cxroadmap worker`, which runs one."""

import click
from flask import Flask, current_app, has_app_context
from flask.cli import with_appcontext

from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.jobs.runner import QUEUE_NAME, redis_connection, rq_queue, run_job
from cxroadmap.mail import send_queued_mail
from cxroadmap.timeutil import utcnow

_app: Flask | None = None


def _application() -> Flask:
    """The app of this worker: the one `flask worker` runs in, or (under a plain `rq worker`) one built from the
    configuration, as gunicorn builds it."""
    global _app
    if has_app_context():
        return current_app._get_current_object()
    if _app is None:
        from cxroadmap import create_app

        _app = create_app()
    return _app


def perform(job_id: str) -> None:
    """Run one job (RQ calls this by name, with the id of the job's row)."""
    with _application().app_context():
        try:
            run_job(job_id)
        finally:
            db.session.remove()


def send_mail() -> None:
    """Send the mail that requests queued (RQ calls this by name after such a request is committed)."""
    with _application().app_context():
        try:
            send_queued_mail(utcnow())
        finally:
            db.session.remove()


@click.command("worker")
@click.option("--burst", is_flag=True, help="Run the jobs waiting now, then stop.")
@with_appcontext
def worker_command(burst: bool):
    """Run background jobs (large reports, downloads and imports) from the Redis queue named by JOB_QUEUE."""
    from rq import Worker

    app = current_app._get_current_object()
    if not app.config.get("JOB_QUEUE"):
        raise click.ClickException(_("Set JOB_QUEUE (CXROADMAP_JOB_QUEUE=redis://…) to run a worker; without it, "
                                     "the web processes run the jobs themselves."))
    # Each job runs in a process forked from this one: no database connection may be shared with it.
    db.engine.dispose()
    connection = redis_connection(app)
    Worker([rq_queue(app, connection)], connection=connection, name=None).work(burst=burst)
    click.echo(_("The worker for the queue %(queue)s stopped.", queue=QUEUE_NAME))
