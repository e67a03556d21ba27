"""Work done from the command line: recorded in the trail as the command line's, in one transaction, its message
printed; a refusal is one line and exit status 1 (`flask users …`, `flask sso …`)."""

from collections.abc import Callable
from functools import wraps

import click
from flask.cli import AppGroup

from cxroadmap.audit.services import Actor, set_actor
from cxroadmap.errors import DomainError
from cxroadmap.extensions import unit_of_work


def run_as_command_line(work: Callable[[], str]) -> None:
    """Do the work as the command line, in one transaction (`unit_of_work`), and print the message it returns."""
    set_actor(Actor("command line"))
    try:
        with unit_of_work():
            message = work()
    except DomainError as refusal:
        raise click.ClickException(" ".join(refusal.errors.values())) from None
    click.echo(message)


def command_line_work(group: AppGroup, name: str):
    """A command of the group whose function is its work, done by run_as_command_line (options and arguments are
    declared below it, as for any click command)."""
    def register(work):
        @wraps(work)
        def run(*args, **kwargs) -> None:
            run_as_command_line(lambda: work(*args, **kwargs))
        return group.command(name)(run)
    return register
