"""Where an initiative stands: its status and its health."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

STATUSES = Choices(
    Choice("proposed", _l("Proposed")),
    Choice("approved", _l("Approved")),
    Choice("in_progress", _l("In progress")),
    Choice("on_hold", _l("On hold")),
    Choice("done", _l("Done")),
    Choice("cancelled", _l("Cancelled")),
)
# Open work. Health (below) is where open work stands: a done or cancelled initiative keeps its last colour in its
# history, but no page counts or lists it by health (one rule for the overview, the dashboard and the list).
OPEN_STATUSES = ("proposed", "approved", "in_progress", "on_hold")

HEALTHS = Choices(
    Choice("green", _l("Green"), _l("On track.")),
    Choice("amber", _l("Amber"), _l("At risk; the owner has a plan.")),
    Choice("red", _l("Red"), _l("Off track; needs the steering committee.")),
)
