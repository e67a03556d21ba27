"""Pages for the list of organisations, creating one and changing its settings."""

from flask import Blueprint, flash, g, redirect, render_template, url_for

from cxroadmap.organisations import services
from cxroadmap.organisations.forms import OrganisationForm
from cxroadmap.web import organisation_blueprint, render_form, submit

bp = Blueprint("organisations", __name__)
settings = organisation_blueprint("settings", __name__)


@bp.get("/")
def index():
    return render_template("organisations/index.html", organisations=services.all_organisations())


@bp.route("/organisations/new", methods=["GET", "POST"])
def new():
    form = OrganisationForm()
    organisation = submit(form, lambda: services.create_organisation(**form.values()))
    if organisation:
        flash(f"{organisation.name} is set up. Start by assessing where it stands.", "success")
        return redirect(url_for("overview.show", slug=organisation.slug))
    return render_form("organisations/form.html", form, organisation=None)


@settings.route("/settings", methods=["GET", "POST"])
def edit():
    form = OrganisationForm(obj=g.organisation)
    organisation = submit(form, lambda: services.update_organisation(g.organisation, **form.values()))
    if organisation:
        flash("Settings saved.", "success")
        return redirect(url_for("overview.show", slug=organisation.slug))
    return render_form("organisations/form.html", form, organisation=g.organisation)
