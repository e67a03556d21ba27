"""Where an initiative stands: its status and its health."""

from cxroadmap.choices import Choice, Choices

STATUSES = Choices(
    Choice("proposed", "Proposed"),
    Choice("approved", "Approved"),
    Choice("in_progress", "In progress"),
    Choice("on_hold", "On hold"),
    Choice("done", "Done"),
    Choice("cancelled", "Cancelled"),
)
OPEN_STATUSES = ("proposed", "approved", "in_progress", "on_hold")

HEALTHS = Choices(
    Choice("green", "Green", "On track."),
    Choice("amber", "Amber", "At risk; the owner has a plan."),
    Choice("red", "Red", "Off track; needs the steering committee."),
)
