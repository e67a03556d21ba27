"""The `flask --app cxroadmap` sub-commands: parse the arguments, call a service, commit, say what happened."""

import logging
import os
import signal
import sys
import threading
from pathlib import Path
from typing import NoReturn

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import inspect

from cxroadmap.audit.services import Actor, set_actor
from cxroadmap.clikit import refuse
from cxroadmap.database import writing
from cxroadmap.demo import DEMO_ADMIN_EMAIL, ensure_demo_admin, seed_demo
from cxroadmap.errors import DomainError
from cxroadmap.exchange.document.export import dumps, export_document
from cxroadmap.exchange.document.importer import ImportRefused, import_document, parse_text
from cxroadmap.exchange.spreadsheets.files import Unreadable, read_tables
from cxroadmap.exchange.spreadsheets.importing import check_sheet, write_sheet
from cxroadmap.extensions import db, unit_of_work
from cxroadmap.files import keep_secret
from cxroadmap.i18n import LANGUAGES, _, cli_language, in_language, ngettext
from cxroadmap.organisations.services import all_organisations, organisation_by_slug
from cxroadmap.overview.documents import REPORT_KINDS
from cxroadmap.reports.services import issue_report, make_report
from cxroadmap.timeutil import today, utcnow


def require_schema() -> None:
    """Stop with one line of advice when the database has not been migrated yet."""
    if not inspect(db.engine).has_table("organisation"):
        raise click.ClickException(_("The database has no tables yet; run `flask --app cxroadmap db upgrade` first."))


@click.command("seed-demo")
@click.option("--if-empty", is_flag=True, help="Only seed when the database holds no organisation yet.")
@click.option("--replace", is_flag=True, help="Replace the demo organisation if it exists.")
@with_appcontext
def seed_demo_command(if_empty: bool, replace: bool):
    """Create the demo organisation: a Dutch B2B spare-parts distributor and its CX programme."""
    require_schema()
    set_actor(Actor("command line: seed-demo"))
    try:
        with unit_of_work():
            if if_empty and all_organisations():
                click.echo(_("The database already holds organisations; no demo data added."))
                return
            organisation = seed_demo(replace=replace)
            password = ensure_demo_admin(organisation)
    except DomainError as refusal:
        raise click.ClickException(str(refusal)) from None
    click.echo(_("Demo organisation '%(name)s' is at %(path)s", name=organisation.name,
                 path=f"/o/{organisation.slug}/"))
    if password:
        path = Path(current_app.instance_path) / "demo-admin.txt"
        keep_secret(path, f"{DEMO_ADMIN_EMAIL}\n{password}\n")
        click.echo(_("Sign in as %(email)s with the password %(password)s", email=DEMO_ADMIN_EMAIL, password=password))
        click.echo(_("(shown only now; it is also kept in %(path)s, readable by you alone)", path=path))


@click.command("export")
@click.argument("slug")
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False, allow_dash=True),
              help="File to write, or - for standard output.")
@click.option("--with-answers", is_flag=True,
              help="Also the customers' survey answers and the contact details of follow-up cases.")
@with_appcontext
def export_command(slug: str, output: str, with_answers: bool):
    """Write organisation SLUG as a cxroadmap/1 JSON document."""
    require_schema()
    try:
        organisation = organisation_by_slug(slug)
    except DomainError as refusal:
        raise click.ClickException(str(refusal)) from None
    text = dumps(export_document(organisation, with_answers=with_answers))
    if output == "-":
        sys.stdout.write(text)
        return
    try:
        Path(output).write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(_("Cannot write %(file)s: %(reason)s", file=output, reason=exc.strerror)) from None
    click.echo(_("Exported %(name)s to %(file)s.", name=organisation.name, file=output), err=True)


@click.command("import")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--replace", is_flag=True, help="Replace an existing organisation with the same slug.")
@with_appcontext
def import_command(file: str, replace: bool):
    """Read a cxroadmap/1 JSON document; nothing is written unless the whole document is sound."""
    require_schema()
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(_("Cannot read %(file)s: %(reason)s", file=file,
                                     reason=getattr(exc, "strerror", None) or exc)) from None
    set_actor(Actor(f"command line: import {Path(file).name}"[:254]))
    try:
        document = parse_text(text)  # before anything takes a lock
    except ImportRefused as refused:
        _refuse_import(refused.problems)
    try:
        with unit_of_work():
            organisation = import_document(document, replace=replace)
    except (ImportRefused, DomainError) as refusal:
        _refuse_import(refusal.problems if isinstance(refusal, ImportRefused) else [str(refusal)])
    click.echo(_("Imported %(name)s as %(path)s", name=organisation.name, path=f"/o/{organisation.slug}/"))


def _refuse_import(problems: list[str]) -> NoReturn:
    refuse(problems, ngettext("Nothing imported: %(num)d problem.", "Nothing imported: %(num)d problems.",
                              len(problems)))


@click.command("report")
@click.argument("slug")
@click.option("--kind", type=click.Choice([kind.slug for kind in REPORT_KINDS if kind.issued]), default="roadmap",
              show_default=True)
@click.option("--output", "-o", required=True, type=click.Path(dir_okay=False), help="The PDF file to write.")
@click.option("--issue", is_flag=True, help="Keep it in the archive, as issuing it from the reports page does.")
@click.option("--language", type=click.Choice(list(LANGUAGES)),
              help="The report's language; by default the organisation's.")
@with_appcontext
def report_command(slug: str, kind: str, output: str, issue: bool, language: str | None):
    """Write organisation SLUG's roadmap report or executive summary as a PDF."""
    require_schema()
    set_actor(Actor("command line: report"))
    try:
        with unit_of_work():
            organisation = organisation_by_slug(slug)
            config = current_app.config
            with in_language(language or organisation.locale):
                made = make_report(organisation, kind, today(), utcnow(), config["BENEFIT_HORIZON_YEARS"],
                                   config["ROLE_STATEMENT_MAX_AGE_DAYS"], for_issue=issue,
                                   stale_days=config["STALE_UPDATE_DAYS"])
            if issue:
                issue_report(organisation, made, "command line")
    except DomainError as refusal:
        raise click.ClickException(str(refusal)) from None
    try:
        Path(output).write_bytes(made.content)
    except OSError as exc:
        raise click.ClickException(_("Cannot write %(file)s: %(reason)s", file=output, reason=exc.strerror)) from None
    size = len(made.content) // 1024
    if issue:
        click.echo(_("Wrote %(file)s (%(size)s KB) and kept it in the archive.", file=output, size=size))
    else:
        click.echo(_("Wrote %(file)s (%(size)s KB).", file=output, size=size))


class _Echo(logging.Handler):
    """Prints what the timed work logs ("sent weekly digest to …"), and notes whether anything failed."""

    def __init__(self):
        super().__init__(logging.INFO)
        self.failed = False

    def emit(self, record):
        self.failed = self.failed or record.levelno >= logging.WARNING
        click.echo(record.getMessage(), err=record.levelno >= logging.WARNING)


@click.command("notify")
@click.option("--dry-run", is_flag=True, help="Print what would be done; send and record nothing.")
@with_appcontext
def notify_command(dry_run: bool):
    """Do every timed work once, now: webhook deliveries, digests and meeting packs, tidying (each thing once).
    The scheduler does this by itself; this is for a one-off run."""
    from cxroadmap.scheduler import release_lease, run_once, take_lease, work_log

    require_schema()
    set_actor(Actor("command line: notify"))
    holder = f"notify:{os.getpid()}"
    db.session.commit()  # nothing begun before the lease is taken carries on after it
    if not dry_run and not take_lease(holder, utcnow(), 15 * 60):
        raise click.ClickException(_("A scheduler is running and does this work by itself (see /healthz); "
                                     "stop it to run notify by hand."))
    echo, propagate = _Echo(), work_log.propagate
    work_log.addHandler(echo)
    work_log.setLevel(logging.INFO)
    work_log.propagate = False
    try:
        done = run_once(utcnow(), dry_run)
    finally:
        work_log.removeHandler(echo)
        work_log.propagate = propagate
        if not dry_run:
            release_lease(holder)
    for work, count in done:
        if dry_run:
            click.echo(_("Dry run: %(work)s: %(count)s would be done.", work=work.name, count=count))
        else:
            click.echo(work.said(count) if work.said else f"{work.name}: {count}")
    if echo.failed:
        sys.exit(1)


@click.command("scheduler")
@with_appcontext
def scheduler_command():
    """Run the timed work by itself, each at its interval, for as long as it runs (one process acts at a time;
    run one beside gunicorn and the workers)."""
    from cxroadmap.scheduler import Scheduler, work_log

    require_schema()
    set_actor(Actor("scheduler"))
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    for name in ("cxroadmap.scheduler", work_log.name):
        logging.getLogger(name).addHandler(handler)
        logging.getLogger(name).setLevel(logging.INFO)
    stopping = threading.Event()

    def _stop(signum, frame):
        stopping.set()

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    scheduler = Scheduler(current_app._get_current_object()).start()
    click.echo(_("The scheduler %(holder)s runs; it stops on SIGTERM or Ctrl+C.", holder=scheduler.holder))
    stopping.wait()
    scheduler.stop()
    click.echo(_("The scheduler stopped."))


@click.command("import-sheet")
@click.argument("slug")
@click.argument("file", type=click.Path(dir_okay=False, exists=True))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change; write nothing.")
@with_appcontext
def import_sheet_command(slug: str, file: str, dry_run: bool):
    """Import initiatives (and their benefit estimates) from an XLSX or CSV file into organisation SLUG."""
    require_schema()
    set_actor(Actor(f"command line: import-sheet {Path(file).name}"[:254]))
    try:
        with open(file, "rb") as stream:  # read as a stream, within the limits, before anything takes a lock
            tables = read_tables(file, stream)
    except OSError as exc:
        raise click.ClickException(_("Cannot read %(file)s: %(reason)s", file=file, reason=exc.strerror)) from None
    except Unreadable as unreadable:
        _refuse_import([str(unreadable)])
    with writing():
        try:
            organisation = organisation_by_slug(slug)
        except DomainError as refusal:
            raise click.ClickException(str(refusal)) from None
        plan = check_sheet(organisation, tables, cli_language())
        problems = plan.problems
        if not problems and not dry_run:
            try:
                with unit_of_work():
                    write_sheet(organisation, plan)
            except DomainError as refusal:
                problems = list(refusal.errors.values())
        if problems:
            _refuse_import(problems)
    if plan.ignored:
        click.echo(_("Columns not read: %(columns)s.", columns=", ".join(plan.ignored)))
    summary = _("%(created)s initiatives created, %(updated)s updated, %(benefits)s benefit estimates added.",
                created=len(plan.created), updated=len(plan.updated), benefits=plan.benefits_created)
    click.echo(_("Dry run, nothing written: %(summary)s", summary=summary) if dry_run else summary)


commands = [seed_demo_command, export_command, import_command, import_sheet_command, report_command,
            notify_command, scheduler_command]

