"""The mails of accounts: an invitation, being added to an organisation, a forgotten-password link."""

from datetime import datetime

from cxroadmap.accounts.invitations import request_password_reset
from cxroadmap.accounts.models import Invitation, Membership, User
from cxroadmap.audit.services import Actor, record
from cxroadmap.i18n import _, in_language, known
from cxroadmap.mail import Mail, absolute_url, mail_kind, render_mail


def language_of(user: User | None, fallback: str) -> str:
    """The language a person reads mail in: their own choice, else the fallback (organisation or browser)."""
    return known(getattr(user, "locale", None)) or known(fallback) or "en"


def invitation_mail(invitation: Invitation, token: str, inviter: str) -> Mail:
    organisation = invitation.organisation
    language = language_of(None, organisation.locale)
    link = absolute_url("invitations.accept", token=token)
    text, html = render_mail("invitation", language, organisation=organisation, invitation=invitation,
                             inviter=inviter, link=link)
    with in_language(language):
        subject = _("You are invited to %(name)s on cxroadmap", name=organisation.name)
    return Mail(invitation.email, subject, text, html)


def added_mail(membership: Membership, inviter: str) -> Mail:
    organisation, user = membership.organisation, membership.user
    language = language_of(user, organisation.locale)
    link = absolute_url("overview.show", slug=organisation.slug)
    text, html = render_mail("added", language, organisation=organisation, membership=membership, user=user,
                             inviter=inviter, link=link)
    with in_language(language):
        subject = _("You now have access to %(name)s on cxroadmap", name=organisation.name)
    return Mail(user.email, subject, text, html)


def reset_mail(user: User, token: str, browser_language: str, minutes: int) -> Mail:
    language = language_of(user, browser_language)
    link = absolute_url("password.reset", token=token)
    text, html = render_mail("password_reset", language, user=user, link=link, minutes=minutes,
                             forgot=absolute_url("password.forgot"))
    with in_language(language):
        subject = _("Set a new password for cxroadmap")
    return Mail(user.email, subject, text, html)


@mail_kind("password_reset")
def password_reset_mail(parameters: dict, now: datetime) -> Mail | None:
    """Made by the background work for every address typed on the forgotten-password page: a reset link for the
    active account with that address, or nothing (the page answered the same either way, having done the same
    work: queued this)."""
    address = parameters.get("address", "")
    asked = request_password_reset(parameters.get("email", ""), int(parameters["minutes"]), address, now)
    if asked is None:
        return None
    user, token = asked
    record("password_reset_requested", object_type="User", object_id=user.id, object_label=user.email,
           actor=Actor("anonymous", None, address))
    return reset_mail(user, token, parameters.get("language", "en"), int(parameters["minutes"]))
