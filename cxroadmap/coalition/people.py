"""The coalition's members by name, for documents that name who did something (`accounts.people.names_for`)."""

from sqlalchemy import select

from cxroadmap.accounts.people import KnownNames
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation


def member_names(organisation: Organisation, emails: set[str]) -> dict[str, str]:
    """The name of each coalition member with one of these addresses (one query)."""
    members = select(CoalitionMember.email, CoalitionMember.name).where(
        CoalitionMember.organisation_id == organisation.id, CoalitionMember.email.in_(emails))
    return {email: name for email, name in db.session.execute(members) if name and name.strip()}


NAMES = KnownNames(names=member_names)
