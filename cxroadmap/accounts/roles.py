"""Roles a user can hold in an organisation, each including everything the ones before it may do."""

from cxroadmap.choices import Choice, Choices
from cxroadmap.i18n import _l

ROLES = Choices(
    Choice("viewer", _l("Viewer"), _l("Reads everything of the organisation and downloads its reports.")),
    Choice("contributor", _l("Contributor"),
           _l("Also logs teams' role statements and updates status, health and progress of the initiatives "
              "they own.")),
    Choice("steering", _l("Steering committee"), _l("Edits everything in the organisation.")),
    Choice("admin", _l("Administrator"), _l("Also manages the organisation's members and settings.")),
)


def role_allows(held: str | None, needed: str) -> bool:
    """Whether holding role `held` is enough for something that needs `needed`."""
    return held in ROLES and ROLES.position(held) >= ROLES.position(needed)
