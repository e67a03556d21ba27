"""Where an initiative stands: its status and its health."""

from cxroadmap.choices import Choices
from cxroadmap.i18n import texts_beside

TEXTS_FILE = texts_beside(__file__)
STATUSES = Choices.of(TEXTS_FILE["STATUSES"])
# Open work. Health (below) is where open work stands: a done or cancelled initiative keeps its last colour in its
# history, but no page counts or lists it by health (one rule for the overview, the dashboard and the list).
OPEN_STATUSES = ("proposed", "approved", "in_progress", "on_hold")

HEALTHS = Choices.of(TEXTS_FILE["HEALTHS"])
