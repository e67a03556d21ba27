"""The organisation's overview page and its charts."""

from flask import current_app, g

from cxroadmap.access import requires
from cxroadmap.accounts.page_cache import cached_page
from cxroadmap.benefits.kinds import BENEFIT_KINDS
from cxroadmap.charts import drawings
from cxroadmap.charts.svg import svg_chart
from cxroadmap.errors import NotInOrganisation
from cxroadmap.governance.views import readiness_chart
from cxroadmap.i18n import _, current_language
from cxroadmap.overview import services
from cxroadmap.timeutil import today
from cxroadmap.web import CHART_TEXT, chart_width, organisation_blueprint, page_with_cached_body

bp = organisation_blueprint("overview", __name__)

CHART_WIDTH = 520


@bp.get("/")
@requires("viewer")
@cached_page
def show():
    return page_with_cached_body(
        "overview/show.html", "overview/_body.html",
        ("BENEFIT_HORIZON_YEARS", "ROLE_STATEMENT_MAX_AGE_DAYS", "STALE_UPDATE_DAYS"),
        lambda on, *settings: {"overview": services.organisation_overview(g.organisation, on, *settings),
                               "kinds": BENEFIT_KINDS})


def _ladder_chart():
    return drawings.ladder(services.ladder_figures(g.organisation), CHART_WIDTH), _("Maturity ladder")


def _benefits_by_year_chart():
    config = current_app.config
    by_year = services.benefit_years(g.organisation, today(), config["BENEFIT_HORIZON_YEARS"],
                                     config["STALE_UPDATE_DAYS"])
    return (drawings.benefits_by_year(by_year, g.organisation.currency, current_language(), chart_width(CHART_WIDTH),
                                      height=170, text=CHART_TEXT),
            _("Risk-adjusted benefit by calendar year"))


# The overview's charts, each gathering only what it draws (the page has the whole overview already):
# name -> () -> (drawing, title).
CHARTS = {"ladder": _ladder_chart, "readiness": readiness_chart, "benefits-by-year": _benefits_by_year_chart}


@bp.get("/charts/<name>.svg")
@requires("viewer")
def chart(name: str):
    if name not in CHARTS:
        raise NotInOrganisation()
    return svg_chart(*CHARTS[name]())
