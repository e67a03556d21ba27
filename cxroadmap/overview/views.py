"""The organisation's overview page and its charts."""

from flask import current_app, g, render_template

from cxroadmap.access import requires
from cxroadmap.accounts.kept_pages import kept_page
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.charts import drawings
from cxroadmap.charts.svg import to_svg
from cxroadmap.errors import NotInOrganisation
from cxroadmap.governance.dashboard import readiness_figures
from cxroadmap.i18n import _, current_language
from cxroadmap.overview import services
from cxroadmap.timeutil import today
from cxroadmap.web import CHART_TEXT, chart_width, kept_fragment, organisation_blueprint, svg_response

bp = organisation_blueprint("overview", __name__)

CHART_WIDTH = 520


def _overview():
    config = current_app.config
    return services.organisation_overview(g.organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                                          config["ROLE_STATEMENT_MAX_AGE_DAYS"], config["STALE_UPDATE_DAYS"])


@bp.get("/")
@requires("viewer")
@kept_page
def show():
    config = current_app.config
    settings = (config["BENEFIT_HORIZON_YEARS"], config["ROLE_STATEMENT_MAX_AGE_DAYS"], config["STALE_UPDATE_DAYS"])
    body = kept_fragment("overview/_body.html", today(), settings,
                         lambda: {"overview": _overview(), "kinds": BENEFIT_KINDS})
    return render_template("overview/show.html", body=body)


@bp.get("/charts/<name>.svg")
@requires("viewer")
def chart(name: str):
    organisation, config = g.organisation, current_app.config
    # Each chart gathers only what it draws: the page has the whole overview already.
    if name == "ladder":
        drawing, title = drawings.ladder(services.ladder_figures(organisation), CHART_WIDTH), _("Maturity ladder")
    elif name == "readiness":
        readiness, coverage = readiness_figures(organisation, today(), config["ROLE_STATEMENT_MAX_AGE_DAYS"])
        scores = {key: (a.score if a else None) for key, a in readiness.items()}
        drawing = drawings.readiness(scores, coverage.share, chart_width(380), text=CHART_TEXT)
        title = _("Readiness")
    elif name == "benefits-by-year":
        by_year = services.benefit_years(organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                                         config["STALE_UPDATE_DAYS"])
        drawing = drawings.benefits_by_year(by_year, organisation.currency, current_language(),
                                            chart_width(CHART_WIDTH), height=170, text=CHART_TEXT)
        title = _("Risk-adjusted benefit by calendar year")
    else:
        raise NotInOrganisation()
    return svg_response(to_svg(drawing, title))
