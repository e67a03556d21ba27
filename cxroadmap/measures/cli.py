"""`flask --app cxroadmap kpi …`: survey answers from a CSV file into a KPI reading."""

import sys
from contextlib import nullcontext
from datetime import date
from pathlib import Path

import click
from flask.cli import with_appcontext

from cxroadmap.audit.services import Actor, set_actor
from cxroadmap.database import end_reading
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db, unit_of_work
from cxroadmap.i18n import _, current_language, ngettext
from cxroadmap.measures.answers import AnswersRefused, answers_for, import_answers
from cxroadmap.measures.formatting import format_value
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


@kpi.command("import-answers")
@click.argument("slug")
@click.argument("code")
@click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
@click.option("--on", "taken_on", required=True, callback=_day, metavar="YYYY-MM-DD", help="The reading's date.")
@click.option("--note", default="", help="A note on the reading (by default: computed from n answers).")
@with_appcontext
def import_answers_command(slug: str, code: str, file: str, taken_on: date, note: str):
    """Compute KPI CODE's reading of organisation SLUG from the survey answers in FILE (CSV with a score column).

    Nothing is written unless every line is sound; each problem is named by its line.
    """
    set_actor(Actor(f"command line: kpi import-answers {Path(file).name}"[:254]))
    try:
        organisation = organisation_by_slug(slug)
        found = kpi_by_code(organisation, code)
        # Read as a stream, stopping at the first line past the limit, before anything takes a lock.
        with nullcontext(sys.stdin.buffer) if file == "-" else open(file, "rb") as stream:
            read = answers_for(found, stream)
        end_reading(db.session())
        with unit_of_work():
            reading = import_answers(organisation, found, read, taken_on, note)
    except OSError as exc:
        raise click.ClickException(_("Cannot read %(file)s: %(reason)s", file=file, reason=exc.strerror)) from None
    except DomainError as refusal:
        db.session.rollback()
        problems = (refusal.lines if isinstance(refusal, AnswersRefused)
                    else [message for message in refusal.errors.values()])
        for line in problems:
            click.echo(line, err=True)
        click.echo(ngettext("Nothing written: %(num)d problem.", "Nothing written: %(num)d problems.",
                            len(problems)), err=True)
        sys.exit(1)
    value = format_value(reading.value, found.measure, found.unit, current_language())
    click.echo(_("%(code)s on %(day)s: %(value)s from %(count)s answers.", code=found.code,
                 day=reading.taken_on.isoformat(), value=value, count=reading.respondents))
