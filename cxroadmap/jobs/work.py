"""Time-driven work, as a site administrator sees it: the scheduler's beat, each timed work's last run, and what
waits or failed (contributed by the areas as `scheduler.Backlog`); and the jobs' own tidying, as timed work."""

from datetime import datetime, timedelta

from flask import Blueprint, current_app, render_template

from cxroadmap.access import site_admin_only
from cxroadmap.database import writing
from cxroadmap.extensions import db
from cxroadmap.i18n import ngettext
from cxroadmap.jobs.services import jobs_to_tidy, tidy_jobs
from cxroadmap.scheduler import Backlog, interval, last_beat, last_runs, timed_work, work_log
from cxroadmap.timeutil import utcnow

bp = Blueprint("work", __name__)
SHOWN_FAILURES = 20


def _limits() -> tuple[timedelta, timedelta]:
    config = current_app.config
    return timedelta(days=int(config["JOB_KEEP_DAYS"])), timedelta(minutes=int(config["JOB_TIMEOUT_MINUTES"]))


def tidy(now: datetime) -> int:
    """Jobs that stopped unfinished are marked failed; old ones are deleted with their files."""
    with writing():  # a moment's work, under SQLite's write lock from its first read
        stopped, deleted = tidy_jobs(now, *_limits())
        db.session.commit()
    if stopped or deleted:
        work_log.info("background jobs: %s that stopped marked failed, %s old ones deleted", stopped, deleted)
    return stopped + deleted


def to_tidy(now: datetime) -> int:
    count = jobs_to_tidy(now, *_limits())
    if count:
        work_log.info("would tidy %s background jobs", count)
    return count


def said(count: int) -> str:
    return ngettext("Tidied %(num)d background job.", "Tidied %(num)d background jobs.", count)


@bp.get("/admin/work")
@site_admin_only
def queues():
    from cxroadmap.areas import contributions

    now = utcnow()
    runs = last_runs()
    works = [(work, interval(work, current_app), runs.get(work.name)) for work in timed_work()]
    backlogs = [(backlog, *backlog.count()) for backlog in contributions(Backlog)]
    failures = sorted((failure for backlog in contributions(Backlog) for failure in backlog.failures(SHOWN_FAILURES)),
                      key=lambda failure: failure.at or now, reverse=True)[:SHOWN_FAILURES]
    return render_template("jobs/work.html", beat=last_beat(now), works=works, backlogs=backlogs,
                           failures=failures, now=now)
