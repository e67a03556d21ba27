"""People named as a reader knows them: an email address recorded as who did something becomes a name."""

import re
from collections.abc import Iterable

from sqlalchemy import func, select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.audit.labels import actor_text
from cxroadmap.coalition.models import CoalitionMember
from cxroadmap.emails import has_control_characters, normal_email
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation

EMAIL = re.compile(r"[^\s()<>,;]+@[^\s()<>,;]+")


def names_for(organisation: Organisation, labels: Iterable[str]) -> dict[str, str]:
    """Each label (who did something, as it was recorded) with every email address in it replaced by the name
    of the organisation's coalition member or member with that address. An address nobody of the organisation
    has keeps only what comes before the @: a document that is forwarded carries no one's address.

    Two queries, whatever the number of labels.
    """
    labels = {str(text) for text in labels if text}
    emails = {normal_email(found) for text in labels for found in EMAIL.findall(text)}
    emails = {email for email in emails if not has_control_characters(email)}
    known: dict[str, str] = {}
    if emails:
        users = (select(func.lower(User.email), User.name).join(Membership, Membership.user_id == User.id)
                 .where(Membership.organisation_id == organisation.id, func.lower(User.email).in_(emails)))
        known.update({email: name for email, name in db.session.execute(users) if name and name.strip()})
        members = select(CoalitionMember.email, CoalitionMember.name).where(
            CoalitionMember.organisation_id == organisation.id, CoalitionMember.email.in_(emails))
        known.update({email: name for email, name in db.session.execute(members) if name and name.strip()})

    def named(text: str) -> str:
        return actor_text(EMAIL.sub(lambda found: known.get(normal_email(found.group()), found.group().split("@")[0]),
                                    text))

    return {text: named(text) for text in labels}
