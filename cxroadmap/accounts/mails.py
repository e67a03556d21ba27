"""The mails of accounts: an invitation, being added to an organisation, a forgotten-password link."""

from cxroadmap.accounts.models import Invitation, Membership, User
from cxroadmap.i18n import _, in_language, known
from cxroadmap.mail import Mail, absolute_url, render_mail


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
