"""Email addresses as every area compares and checks them: one normal form, one test of usability."""

from email_validator import EmailNotValidError, validate_email

from cxroadmap.i18n import _
from cxroadmap.mail import takes_international_addresses


def normal_email(text: str | None) -> str:
    """The one form an address is kept, looked up, compared and rate-limited in: trimmed and lower case.

    Control characters are kept, not dropped, so that "a\x01b@…" never becomes "ab@…": email_problem refuses
    such an address, and it matches no account (dropping them let each variant count its own failed sign-ins
    and then sign in to the account without them).
    """
    return str(text or "").strip().lower()


def masked(email: str) -> str:
    """The address as the audit trail names it, without keeping it: its first letter and its domain
    ("b***@example.com"; asterisks, not an ellipsis, so that a narrow column never breaks it after the letter)."""
    name, _at, domain = str(email or "").partition("@")
    return f"{name[:1]}***@{domain}"


def has_control_characters(email: str) -> bool:
    """Whether email holds a character no address has, which no database lookup should even be sent
    (PostgreSQL refuses a NUL in any text)."""
    return any(ord(character) < 32 or ord(character) == 127 for character in email)


def email_problem(email: str, mailed: bool = True) -> str | None:
    """Why email is not a usable address, or None when it is. An address mail is sent to (mailed) with letters
    outside ASCII (before the @, or in a domain not written in its xn-- form) is usable only when the configured
    mail server takes such addresses (SMTPUTF8)."""
    if not email:
        return _("This field is required.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    if mailed and not email.isascii() and not takes_international_addresses():
        return _("Mail cannot be delivered to an address with letters such as ü or é through this installation's "
                 "mail server. Use the person's address written with plain letters (a–z), digits, dots and hyphens.")
    return None
