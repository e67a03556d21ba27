"""Roles a user can hold in an organisation, each including everything the ones before it may do."""

from cxroadmap.choices import Choice, Choices

ROLES = Choices(
    Choice("viewer", "Viewer", "Reads everything of the organisation and downloads its reports."),
    Choice("contributor", "Contributor",
           "Also logs teams' role statements and updates status, health and progress of the initiatives "
           "they own."),
    Choice("steering", "Steering committee", "Edits everything in the organisation."),
    Choice("admin", "Administrator", "Also manages the organisation's members and settings."),
)


def role_allows(held: str | None, needed: str) -> bool:
    """Whether holding role `held` is enough for something that needs `needed`."""
    return held in ROLES and ROLES.position(held) >= ROLES.position(needed)
