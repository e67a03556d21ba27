"""The organisation's overview page."""

from flask import current_app, g, render_template

from cxroadmap.accounts.authz import requires
from cxroadmap.overview.services import organisation_overview
from cxroadmap.timeutil import today
from cxroadmap.web import organisation_blueprint

bp = organisation_blueprint("overview", __name__)


@bp.get("/")
@requires("viewer")
def show():
    overview = organisation_overview(g.organisation, today(), current_app.config["BENEFIT_HORIZON_YEARS"],
                                     current_app.config["ROLE_STATEMENT_MAX_AGE_DAYS"])
    return render_template("overview/show.html", overview=overview)
