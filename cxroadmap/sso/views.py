"""Single sign-on's pages: to the provider and back, the site administrator's identity providers, and an
organisation's group mappings and requirement."""

from flask import Blueprint, flash, g, redirect, render_template, request, session, url_for

from cxroadmap.access import public, requires, site_admin_only
from cxroadmap.accounts.views import sign_in_user
from cxroadmap.audit.services import Actor, person, record, set_actor
from cxroadmap.errors import DomainError
from cxroadmap.extensions import db
from cxroadmap.i18n import _
from cxroadmap.security import safe_next
from cxroadmap.sso import flow, people, services
from cxroadmap.sso.forms import OrganisationMappingForm, ProviderForm, RequireForm
from cxroadmap.sso.models import IdentityProvider
from cxroadmap.web import (
    keep_changes,
    organisation_blueprint,
    refused_form,
    render_form,
    start_writing,
    submit,
    submit_or_keep,
)

bp = Blueprint("sso", __name__)
organisation_sso = organisation_blueprint("sso_organisation", __name__)

FLOW = "sso_flow"  # the provider and the page to come back to, while the browser is at the provider
SIGNED_IN_WITH = "sso_signed_in"  # the provider and ID token of this session, for signing out there too


# -- to the provider and back ----------------------------------------------------------------------------------

@bp.get("/sso/<int:provider_id>/start")
@public
def start(provider_id: int):
    provider = db.session.get(IdentityProvider, provider_id)
    if provider is None:
        return _refused(None, flow.Refusal("unknown"))
    session[FLOW] = {"provider": provider.id, "next": safe_next(request.args.get("next"))}
    try:
        return flow.authorization_redirect(provider, url_for(".callback", _external=True),
                                           login_hint=(request.args.get("login_hint") or "")[:254])
    except flow.Refusal as refusal:
        return _refused(provider, refusal)


@bp.get("/sso/callback")
@public
def callback():
    # A GET that writes (the account, its link, its roles, the session): it takes the write lock as a POST does.
    start_writing()
    keep_changes()
    started = session.pop(FLOW, None) or {}
    provider = db.session.get(IdentityProvider, started.get("provider") or 0) if isinstance(started, dict) else None
    if provider is None:
        return _refused(None, flow.Refusal("state"))
    try:
        identity = flow.identity_from_callback(provider)
        user = people.account_for(provider, identity)
    except flow.Refusal as refusal:
        return _refused(provider, refusal)
    set_actor(person(user, request.remote_addr or "", via=provider.name))
    people.link_of(provider, identity.subject).groups = list(identity.groups)
    people.apply_groups(provider, user, identity.groups)
    sign_in_user(user)
    session[SIGNED_IN_WITH] = {"provider": provider.id, "id_token": identity.id_token}
    record("sso_sign_in", object_type="User", object_id=user.id, object_label=user.email,
           changes={"provider": [None, provider.name]})
    return redirect(safe_next(started.get("next")))


def _refused(provider: IdentityProvider | None, refusal: flow.Refusal):
    """The refusal in words the person understands; the trail keeps its reason."""
    db.session.rollback()
    record("sso_refused", actor=Actor(refusal.detail if "@" in refusal.detail else "anonymous", None,
                                      request.remote_addr or ""),
           object_type="Identity provider", object_id=provider.id if provider else "",
           object_label=provider.name if provider else "",
           changes={"reason": [None, refusal.reason], **({"detail": [None, refusal.detail]} if refusal.detail else {})})
    keep_changes()
    return render_template("sso/refused.html", refusal=refusal, provider=provider), 403


def offers(next_target: str) -> list[tuple[str, str]]:
    return [(_("Sign in with %(name)s", name=provider.name),
             url_for("sso.start", provider_id=provider.id, next=next_target or None))
            for provider in services.providers()]


def route(email: str, next_target: str) -> str | None:
    provider = services.provider_for_email(email)
    if provider is None:
        return None
    return url_for("sso.start", provider_id=provider.id, next=next_target or None, login_hint=email.strip())


def sign_out() -> str | None:
    signed_in_with = session.get(SIGNED_IN_WITH)
    if not isinstance(signed_in_with, dict):
        return None
    provider = db.session.get(IdentityProvider, signed_in_with.get("provider") or 0)
    if provider is None:
        return None
    return flow.logout_url(provider, signed_in_with.get("id_token", ""), url_for("accounts.login", _external=True))


# -- the site administrator's identity providers -----------------------------------------------------------

@bp.route("/admin/sso", methods=["GET", "POST"])
@site_admin_only
def providers():
    form = ProviderForm()
    provider = submit(form, lambda: _add(form))
    if provider:
        flash(_("%(name)s added: people of %(domains)s can sign in with it now.", name=provider.name,
                domains=", ".join(provider.domains)), "success")
        return redirect(url_for(".providers"))
    return render_form("sso/providers.html", form, providers=services.providers())


def _add(form: ProviderForm) -> IdentityProvider:
    provider = services.add_provider(form.issuer.data, form.name.data, form.client_id.data, form.client_secret.data,
                                     form.domains.data, form.scopes.data, form.groups_claim.data,
                                     form.creates_accounts.data)
    record("sso_provider_added", object_type="Identity provider", object_id=provider.id, object_label=provider.name,
           changes={"issuer": [None, provider.issuer], "domains": [None, " ".join(provider.domains)]})
    return provider


@bp.post("/admin/sso/<int:provider_id>/remove")
@site_admin_only
def remove(provider_id: int):
    provider = services.provider_by_id(provider_id)
    name = provider.name
    record("sso_provider_removed", object_type="Identity provider", object_id=provider.id, object_label=name,
           changes={"issuer": [provider.issuer, None]})
    services.remove_provider(provider)
    flash(_("%(name)s removed. Its people sign in with a password again (or ask for a new one).", name=name),
          "success")
    return redirect(url_for(".providers"))


# -- an organisation's mappings and its requirement -------------------------------------------------------------

@organisation_sso.get("/sso")
@requires("admin")
def index():
    return _organisation_page()


def _organisation_page(status: int = 200):
    available = services.providers()
    mapping_form = refused_form(OrganisationMappingForm, lambda: OrganisationMappingForm(available, formdata=None))
    return render_template("sso/organisation.html", mappings=services.mappings_of(g.organisation),
                           mapping_form=mapping_form, providers=available,
                           require_form=RequireForm(required=services.requires_sso(g.organisation), formdata=None),
                           required=services.requires_sso(g.organisation)), status


@organisation_sso.post("/sso/mappings")
@requires("admin")
def add_mapping():
    form = OrganisationMappingForm(services.providers())

    def action():
        mapping = services.map_group(services.provider_by_id(form.provider.data), form.group.data, g.organisation,
                                     form.role.data)
        return mapping
    if submit_or_keep(form, action, _("Saved: members of that group get the role at their next sign-in.")):
        return redirect(url_for(".index"))
    return _organisation_page(422)


@organisation_sso.post("/sso/mappings/<int:mapping_id>/remove")
@requires("admin")
def remove_mapping(mapping_id: int):
    mapping = services.mapping_in(g.organisation, mapping_id)
    services.unmap_group(mapping)
    flash(_("Removed: members of %(group)s lose that role here at their next sign-in.", group=mapping.group),
          "success")
    return redirect(url_for(".index"))


@organisation_sso.post("/sso/require")
@requires("admin")
def require():
    form = RequireForm()
    if form.validate_on_submit():
        try:
            changed = services.require_sso(g.organisation, form.required.data)
        except DomainError as refusal:
            db.session.rollback()
            flash(" ".join(refusal.errors.values()), "danger")
            return redirect(url_for(".index"))
        if changed:
            record("sso_required" if form.required.data else "sso_no_longer_required", organisation=g.organisation,
                   object_type="Organisation", object_id=g.organisation.id, object_label=g.organisation.name)
        flash(_("Members of %(name)s now sign in with their organisation's account only.", name=g.organisation.name)
              if form.required.data else _("Members of %(name)s may sign in with a password again.",
                                           name=g.organisation.name), "success")
    return redirect(url_for(".index"))


