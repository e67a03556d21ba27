"""What may be done to initiatives, and by whom: the same answer for the pages, the API and background work."""

from cxroadmap.access import Act, Person, role_allows


def _steers_or_owns(person: Person, initiative) -> bool:
    """Steering posts on any initiative; a contributor only on those they own (their email is the owner's)."""
    if role_allows(person.role, "steering"):
        return True
    owner = initiative.owner
    return owner is not None and person.email is not None and owner.email.lower() == person.email.lower()


CREATE = Act("initiative.create", "steering")
EDIT = Act("initiative.edit", "steering")
ARCHIVE = Act("initiative.archive", "steering")
POST_UPDATE = Act("initiative.post_update", "contributor", rule=_steers_or_owns)
