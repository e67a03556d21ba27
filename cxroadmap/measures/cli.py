"""`flask --app cxroadmap kpi …`: survey answers from a CSV file stored for a KPI, its readings following."""

import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path
from typing import NoReturn

import click
from flask.cli import with_appcontext

from cxroadmap import uploads
from cxroadmap.audit.services import Actor, set_actor
from cxroadmap.clikit import refuse
from cxroadmap.database import begin_immediately, end_reading
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _, ngettext
from cxroadmap.measures.answers import AnswersRefused, import_answers
from cxroadmap.measures.services import kpi_by_code
from cxroadmap.organisations.services import organisation_by_slug


@click.group("kpi")
def kpi():
    """KPIs: readings computed from survey answers."""


def _day(ctx, param, value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(_("use a date like 2026-03-31")) from None


def _start_writing() -> None:
    """The file is checked: from here on the command writes, holding SQLite's write lock from its first query."""
    end_reading(db.session())
    begin_immediately(True)


def _refused(refusal: DomainError) -> NoReturn:
    db.session.rollback()
    problems = refusal.lines if isinstance(refusal, AnswersRefused) else list(refusal.errors.values())
    refuse(problems, ngettext("Nothing written: %(num)d problem.", "Nothing written: %(num)d problems.",
                              len(problems)))


@kpi.command("import-answers")
@click.argument("slug")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--on", "taken_on", required=True, callback=_day, metavar="YYYY-MM-DD",
              help="The day of answers whose line gives no answered_on.")
@with_appcontext
def import_answers_command(slug: str, code: str, file: str, taken_on: date):
    """Store the survey answers in FILE (CSV with a score column) for KPI CODE of organisation SLUG, in the survey
    feeding it; the KPI's readings of the periods they fall in follow from them.

    Up to 1,000,000 answers, read as a stream. Nothing is written unless every line is sound; each problem is named
    by its line.
    """
    set_actor(Actor(f"command line: kpi import-answers {Path(file).name}"[:254]))
    try:
        organisation = organisation_by_slug(slug)
        found = kpi_by_code(organisation, code)
        with nullcontext(sys.stdin.buffer) if file == "-" else open(file, "rb") as stream:
            imported = import_answers(organisation, found, stream, taken_on, max_rows=uploads.ANSWER_ROWS_COMMAND,
                                      before_writing=_start_writing)
        db.session.commit()
    except OSError as exc:
        raise click.ClickException(_("Cannot read %(file)s: %(reason)s", file=file, reason=exc.strerror)) from None
    except DomainError as refusal:
        _refused(refusal)
    finally:
        begin_immediately(False)
    click.echo(ngettext("%(num)d answer stored in %(survey)s for %(code)s.",
                        "%(num)d answers stored in %(survey)s for %(code)s.", imported.count,
                        survey=imported.survey_title, code=found.code))
