"""Email addresses as every area compares and checks them: one normal form, one test of usability."""

from email_validator import EmailNotValidError, validate_email

from cxroadmap.errors import tidy
from cxroadmap.i18n import _


def normal_email(text: str) -> str:
    """The form an address is kept and compared in: trimmed, without control characters, lower case."""
    return tidy(text).lower()


def email_problem(email: str) -> str | None:
    """Why email is not a usable address, or None when it is."""
    if not email:
        return _("This field is required.")
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as exc:
        return str(exc)
    return None
