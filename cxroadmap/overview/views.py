"""The organisation's overview page and its charts."""

from flask import Response, abort, current_app, g, render_template

from cxroadmap.accounts.authz import requires
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.charts import drawings
from cxroadmap.charts.svg import SVG_CONTENT_SECURITY_POLICY, to_svg
from cxroadmap.i18n import _, current_language
from cxroadmap.overview.services import organisation_overview
from cxroadmap.timeutil import today
from cxroadmap.web import CHART_TEXT, chart_width, organisation_blueprint

bp = organisation_blueprint("overview", __name__)

CHART_WIDTH = 520


def _overview():
    return organisation_overview(g.organisation, today(), current_app.config["BENEFIT_HORIZON_YEARS"],
                                 current_app.config["ROLE_STATEMENT_MAX_AGE_DAYS"])


@bp.get("/")
@requires("viewer")
def show():
    return render_template("overview/show.html", overview=_overview(), kinds=BENEFIT_KINDS)


@bp.get("/charts/<name>.svg")
@requires("viewer")
def chart(name: str):
    overview, organisation = _overview(), g.organisation
    if name == "ladder":
        drawing, title = drawings.ladder(overview.ladder, CHART_WIDTH), _("Maturity ladder")
    elif name == "readiness":
        scores = {key: (a.score if a else None) for key, a in overview.readiness.items()}
        drawing = drawings.readiness(scores, overview.coverage.share, chart_width(380), text=CHART_TEXT)
        title = _("Readiness")
    elif name == "benefits-by-year":
        drawing = drawings.benefits_by_year(overview.by_year, organisation.currency, current_language(),
                                            chart_width(CHART_WIDTH), height=170, text=CHART_TEXT)
        title = _("Risk-adjusted benefit by calendar year")
    else:
        abort(404)
    response = Response(to_svg(drawing, title), mimetype="image/svg+xml")
    response.headers["Content-Security-Policy"] = SVG_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "private, no-cache"
    return response
