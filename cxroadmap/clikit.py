"""What the command line's commands share: a refusal that names every problem, one a line."""

import sys
from typing import NoReturn

import click


def refuse(problems: list[str], summary: str) -> NoReturn:
    """Each problem on a line of its own, then the summary (what was not done, and for how many problems), all on
    standard error; the exit status is 1."""
    for line in problems:
        click.echo(line, err=True)
    click.echo(summary, err=True)
    sys.exit(1)
