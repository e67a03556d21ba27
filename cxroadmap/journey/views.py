"""Pages of the customer journey: the map, the stages, touchpoints and their scores."""

from cxroadmap.journey import models  # noqa: F401 - the tables exist once the blueprint is registered
from cxroadmap.web import organisation_blueprint

bp = organisation_blueprint("journey", __name__)
