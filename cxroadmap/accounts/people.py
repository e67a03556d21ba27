"""People named as a reader knows them: an email address recorded as who did something becomes a name.

The organisation's members are named by their accounts; an area that knows more people of the organisation (the
coalition's members) adds a `KnownNames`, whose names come after (and so before) the accounts'."""

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from sqlalchemy import func, select

from cxroadmap.accounts.models import Membership, User
from cxroadmap.areas import contributions
from cxroadmap.audit.labels import actor_text
from cxroadmap.emails import has_control_characters, normal_email
from cxroadmap.extensions import db
from cxroadmap.organisations.models import Organisation

EMAIL = re.compile(r"[^\s()<>,;]+@[^\s()<>,;]+")


@dataclass(frozen=True)
class KnownNames:
    """People of the organisation an area knows by name: `names(organisation, emails)` gives the name of each
    address it knows (normalised, lower case), in one query."""

    names: Callable[[Organisation, set[str]], dict[str, str]]


def names_for(organisation: Organisation, labels: Iterable[str]) -> dict[str, str]:
    """Each label (who did something, as it was recorded) with every email address in it replaced by the name
    of the organisation's member (or the person an area knows, as a coalition member) with that address. An
    address nobody of the organisation has keeps only what comes before the @: a document that is forwarded
    carries no one's address.

    A query for the members, and one for each area's known names, whatever the number of labels.
    """
    labels = {str(text) for text in labels if text}
    emails = {normal_email(found) for text in labels for found in EMAIL.findall(text)}
    emails = {email for email in emails if not has_control_characters(email)}
    known: dict[str, str] = {}
    if emails:
        users = (select(func.lower(User.email), User.name).join(Membership, Membership.user_id == User.id)
                 .where(Membership.organisation_id == organisation.id, func.lower(User.email).in_(emails)))
        known.update({email: name for email, name in db.session.execute(users) if name and name.strip()})
        for source in contributions(KnownNames):
            known.update(source.names(organisation, emails))

    def named(text: str) -> str:
        return actor_text(EMAIL.sub(lambda found: known.get(normal_email(found.group()), found.group().split("@")[0]),
                                    text))

    return {text: named(text) for text in labels}
