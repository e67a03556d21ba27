"""`flask sso …`: identity providers, their groups' roles in organisations, and organisations requiring them."""


import click
from flask.cli import AppGroup

from cxroadmap.access import ROLES
from cxroadmap.audit.command_line import command_line_work
from cxroadmap.audit.services import record
from cxroadmap.errors import DomainError
from cxroadmap.i18n import _
from cxroadmap.sso import services

sso = AppGroup("sso", help="Single sign-on: identity providers, their groups' roles, and organisations requiring it.")


def _record(action: str, provider, changes: dict | None = None) -> None:
    """The provider's event in the audit trail."""
    record(action, object_type="Identity provider", object_id=provider.id, object_label=provider.name,
           changes=changes)


@command_line_work(sso, "add")
@click.argument("issuer")
@click.option("--client-id", required=True)
@click.option("--client-secret", required=True, help="The client's secret at the provider.")
@click.option("--domain", "domains", multiple=True, required=True,
              help="An email domain whose people sign in with it (repeat for more).")
@click.option("--name", default="", help="On the sign-in button (default: the issuer's host name).")
@click.option("--scopes", default="openid email profile", show_default=True)
@click.option("--groups-claim", default="groups", show_default=True, help="The ID token's claim with the groups.")
@click.option("--no-new-accounts", is_flag=True, help="Only people who have an account already may sign in.")
def add(issuer, client_id, client_secret, domains, name, scopes, groups_claim, no_new_accounts):
    """Add the identity provider at ISSUER."""
    provider = services.add_provider(issuer, name, client_id, client_secret, domains, scopes, groups_claim,
                                     not no_new_accounts)
    _record("sso_provider_added", provider, {"issuer": [None, provider.issuer],
                                             "domains": [None, " ".join(provider.domains)]})
    return _("Added %(name)s for %(domains)s.", name=provider.name, domains=", ".join(provider.domains))


@command_line_work(sso, "map")
@click.argument("issuer")
@click.argument("group")
@click.argument("slug")
@click.argument("role", type=click.Choice(ROLES.keys))
def map_group(issuer, group, slug, role):
    """Members of GROUP at ISSUER hold ROLE in organisation SLUG from their next sign-in on."""
    provider = services.provider_named(issuer)
    organisation = services.organisation_named(slug)
    mapping = services.map_group(provider, group, organisation, role)
    return _("Members of %(group)s are %(role)s of %(name)s from their next sign-in on.", group=mapping.group,
             role=ROLES.label(role).lower(), name=organisation.name)


@command_line_work(sso, "unmap")
@click.argument("issuer")
@click.argument("group")
@click.argument("slug")
def unmap_group(issuer, group, slug):
    """GROUP at ISSUER no longer gives a role in organisation SLUG."""
    provider = services.provider_named(issuer)
    organisation = services.organisation_named(slug)
    mapping = next((m for m in provider.mappings if m.group == group and m.organisation_id == organisation.id),
                   None)
    if mapping is None:
        raise DomainError(_("%(group)s gives no role in %(name)s.", group=group, name=organisation.name))
    services.unmap_group(mapping)
    return _("%(group)s no longer gives a role in %(name)s.", group=group, name=organisation.name)


@sso.command("list")
def list_providers():
    """The identity providers, their domains and their groups' roles."""
    lines = []
    for provider in services.providers():
        lines.append(f"{provider.issuer}  {provider.name}  client {provider.client_id}  "
                     f"domains {', '.join(provider.domains)}")
        lines.extend(f"  {mapping.group} -> {mapping.organisation.slug} {mapping.role}"
                     for mapping in provider.mappings)
    click.echo("\n".join(lines) if lines else _("No identity providers."))


@command_line_work(sso, "remove")
@click.argument("issuer")
def remove(issuer):
    """Remove the identity provider at ISSUER with its mappings and links (the accounts stay)."""
    provider = services.provider_named(issuer)
    _record("sso_provider_removed", provider, {"issuer": [provider.issuer, None]})
    services.remove_provider(provider)
    return _("Removed %(name)s.", name=provider.name)


@command_line_work(sso, "require")
@click.argument("slug")
@click.option("--off", is_flag=True, help="Let the members sign in with a password again.")
def require(slug, off):
    """Members of organisation SLUG sign in with their identity provider only (site administrators with two-factor
    sign-in keep their password)."""
    organisation = services.organisation_named(slug)
    if services.require_sso(organisation, not off):
        record("sso_no_longer_required" if off else "sso_required", organisation=organisation,
               object_type="Organisation", object_id=organisation.id, object_label=organisation.name)
    if off:
        return _("Members of %(name)s may sign in with a password again.", name=organisation.name)
    return _("Members of %(name)s now sign in with their organisation's account only.", name=organisation.name)


@command_line_work(sso, "scim-token")
@click.argument("issuer")
@click.option("--revoke", is_flag=True, help="Revoke the provider's SCIM token (provisioning stops).")
def scim_token(issuer, revoke):
    """Make a new SCIM bearer token for the provider at ISSUER and print it once (the old one stops working)."""
    from cxroadmap.sso import scim

    provider = services.provider_named(issuer)
    if revoke:
        scim.revoke_token(provider)
        _record("scim_token_revoked", provider)
        return _("The SCIM token of %(name)s is revoked.", name=provider.name)
    token = scim.new_token(provider)
    _record("scim_token_created", provider)
    return token
