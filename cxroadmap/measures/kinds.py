"""The enumerations of KPIs: kind of data, measure, direction, status and trend, each with its label."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

TEXTS_FILE = texts_beside(__file__)
KPI_KINDS = Choices.of(TEXTS_FILE["KPI_KINDS"])

# The survey measures know their scale; the others are numbers in the KPI's unit.
MEASURES = Choices.of(TEXTS_FILE["MEASURES"])
SURVEY_MEASURES = ("nps", "csat", "ces")

DIRECTIONS = Choices.of(TEXTS_FILE["DIRECTIONS"])
KPI_STATUSES = Choices.of(TEXTS_FILE["KPI_STATUSES"])
TRENDS = Choices.of(TEXTS_FILE["TRENDS"])
