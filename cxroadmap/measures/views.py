"""KPI pages: the board of O-data and X-data, one KPI with its readings, and the forms that change them."""

from cxroadmap.measures import services  # noqa: F401
from cxroadmap.web import organisation_blueprint

bp = organisation_blueprint("measures", __name__)
