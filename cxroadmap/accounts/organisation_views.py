"""Pages for the organisations a person belongs to: the list, setting one up (its creator becomes its
administrator) and its settings."""

from flask import Blueprint, flash, g, redirect, render_template, url_for
from flask_login import current_user

from cxroadmap.access import requires, signed_in, site_admin_only
from cxroadmap.accounts.services import add_membership, organisations_of
from cxroadmap.i18n import _
from cxroadmap.organisations import services
from cxroadmap.organisations.forms import OrganisationForm
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = Blueprint("organisations", __name__)
settings = organisation_blueprint("settings", __name__)


@bp.get("/")
@signed_in
def index():
    memberships = organisations_of(current_user)
    if len(memberships) == 1 and not current_user.site_admin:
        return redirect(url_for("overview.show", slug=memberships[0].organisation.slug))
    return render_template("organisations/index.html", memberships=memberships)


@bp.route("/organisations/new", methods=["GET", "POST"])
@site_admin_only
def new():
    form = OrganisationForm()
    organisation = submit(form, lambda: _create(form))
    if organisation:
        flash(_("%(name)s is set up. Start by assessing where it stands.", name=organisation.name), "success")
        return redirect(url_for("overview.show", slug=organisation.slug))
    return render_form("organisations/form.html", form, organisation=None)


@settings.route("/settings", methods=["GET", "POST"])
@requires("admin")
def edit():
    form = OrganisationForm(obj=g.organisation)
    organisation = submit(form, lambda: services.update_organisation(
        g.organisation, **form.values(), require_two_factor=form.require_two_factor.data,
        keep_survey_comments=form.keep_survey_comments.data,
        expected_version=form.version.data))
    if organisation:
        flash(_("Settings saved."), "success")
        return redirect(url_for("overview.show", slug=organisation.slug))
    return render_form("organisations/form.html", form, organisation=g.organisation)


def _create(form):
    """The organisation, with the site administrator who created it as its first administrator."""
    organisation = services.create_organisation(**form.values())
    add_membership(organisation, current_user.email, "admin")
    return organisation
