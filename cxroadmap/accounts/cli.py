"""`flask users …`: create accounts, give them roles, reset passwords, deactivate."""

import sys

import click
from flask.cli import AppGroup

from cxroadmap.access import ROLES
from cxroadmap.accounts import services, tokens
from cxroadmap.audit.command_line import command_line_work, run_as_command_line
from cxroadmap.audit.services import record
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _
from cxroadmap.organisations.services import organisation_by_slug

users = AppGroup("users", help="Manage user accounts and their roles in organisations.")


def _password_from_stdin() -> str:
    if sys.stdin is None:
        raise click.ClickException(_("Give the password on standard input."))
    password = sys.stdin.readline().rstrip("\r\n")
    if not password:
        raise click.ClickException(_("Give the password on standard input (one line)."))
    return password


def _user(email: str):
    user = services.user_by_email(email)
    if user is None:
        raise DomainError(_("No account has the email address %(email)s.", email=email))
    return user


@users.command("create")
@click.option("--email", required=True)
@click.option("--name", required=True)
@click.option("--password-stdin", is_flag=True, required=True, help="Read the password from standard input.")
@click.option("--site-admin", is_flag=True, help="May create organisations.")
def create(email: str, name: str, password_stdin: bool, site_admin: bool):
    """Create an account."""
    password = _password_from_stdin()
    run_as_command_line(lambda: _("Created %(email)s.",
                                  email=services.create_user(email, name, password, site_admin).email))


@command_line_work(users, "add-member")
@click.argument("email")
@click.argument("slug")
@click.argument("role", type=click.Choice(ROLES.keys))
def add_member(email: str, slug: str, role: str):
    """Give the account EMAIL the ROLE in organisation SLUG (or change the role it has there)."""
    organisation = organisation_by_slug(slug)
    membership = services.membership_of(_user(email), organisation)
    if membership is None:
        services.add_membership(organisation, email, role)
    else:
        services.change_role(organisation, membership, role)
    return _("%(email)s is %(role)s of %(name)s.", email=email, role=ROLES.label(role).lower(),
             name=organisation.name)


@users.command("reset-password")
@click.argument("email")
@click.option("--password-stdin", is_flag=True, required=True, help="Read the new password from standard input.")
def reset_password(email: str, password_stdin: bool):
    """Set a new password; every session of the account ends."""
    password = _password_from_stdin()

    def work():
        user = _user(email)
        services.set_password(user, password)
        record("password_reset", object_type="User", object_id=user.id, object_label=user.email)
        return _("Password of %(email)s reset; their sessions have ended.", email=user.email)
    run_as_command_line(work)


@command_line_work(users, "deactivate")
@click.argument("email")
def deactivate(email: str):
    """Stop the account signing in; every session of it ends at once."""
    user = _user(email)
    services.deactivate(user)
    record("user_deactivated", object_type="User", object_id=user.id, object_label=user.email)
    return _("%(email)s is deactivated.", email=user.email)


@command_line_work(users, "token")
@click.argument("email")
@click.option("--organisation", "slug", required=True, help="The organisation's slug the token reaches.")
@click.option("--write", is_flag=True, help="May change data too (never more than the account's role).")
@click.option("--days", type=click.IntRange(1, tokens.MAX_DAYS), default=90, show_default=True,
              help="Days until it expires.")
@click.option("--name", default="command line", show_default=True, help="What the token is for.")
def token(email: str, slug: str, write: bool, days: int, name: str):
    """Make a personal access token for the API and print it once."""
    user = _user(email)
    organisation = organisation_by_slug(slug)
    made = tokens.create_token(user, name, organisation, write, days)
    record("token_created", organisation=organisation, object_type="Access token", object_id=made.token.id,
           object_label=made.token.name)
    return made.secret
