"""Pages for the organisations a person belongs to: the list, setting one up (its creator becomes its
administrator) and its settings."""

from flask import Blueprint, Response, flash, g, redirect, render_template, request, url_for
from flask_login import current_user

from cxroadmap.access import requires, signed_in, site_admin_only
from cxroadmap.accounts.services import add_membership, organisations_of
from cxroadmap.errors import NotInOrganisation
from cxroadmap.i18n import _
from cxroadmap.organisations import services
from cxroadmap.organisations.forms import LogoForm, OrganisationForm
from cxroadmap.organisations.logo import clean_logo
from cxroadmap.uploads import LOGO_BYTES, read_limited
from cxroadmap.web import organisation_blueprint, reads_upload, render_form, start_writing, submit

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
    return render_form("organisations/form.html", form, organisation=g.organisation,
                       logo_form=LogoForm(formdata=None))


@settings.post("/settings/logo")
@requires("admin")
@reads_upload
def upload_logo():
    """The image is read and drawn again without holding the database's write lock; then it is kept."""
    form = LogoForm()

    def action():
        logo = clean_logo(_uploaded(form.logo.data))
        start_writing()
        return services.set_logo(g.organisation, logo)

    if submit(form, action):
        flash(_("Logo saved. It shows in the navigation and on every report from now on."), "success")
        return redirect(url_for("settings.edit"))
    return render_template("organisations/form.html", form=OrganisationForm(formdata=None, obj=g.organisation),
                           organisation=g.organisation, logo_form=form), 422


@settings.post("/settings/logo/remove")
@requires("admin")
def remove_logo():
    services.remove_logo(g.organisation)
    flash(_("Logo removed."), "success")
    return redirect(url_for("settings.edit"))


@settings.get("/logo.png")
@requires("viewer")
def logo():
    """The logo as kept (a PNG made here); cached by the browser for good under the address the pages give,
    which changes with the logo, and checked against its digest otherwise."""
    digest = g.organisation.logo_sha256
    if not digest:
        raise NotInOrganisation()
    if request.if_none_match.contains(digest):
        response = Response(status=304)
    else:
        response = Response(services.logo_of(g.organisation), mimetype="image/png")
        response.headers["Content-Disposition"] = 'inline; filename="logo.png"'
    response.set_etag(digest)
    current = request.args.get("v") == digest[:16]
    response.headers["Cache-Control"] = "private, max-age=31536000, immutable" if current else "private, no-cache"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


def _uploaded(upload) -> bytes:
    """What was uploaded, read no further than one byte past what a logo may weigh."""
    return read_limited(upload.stream, LOGO_BYTES) if upload else b""


def _create(form):
    """The organisation, with the site administrator who created it as its first administrator."""
    organisation = services.create_organisation(**form.values())
    add_membership(organisation, current_user.email, "admin")
    return organisation
