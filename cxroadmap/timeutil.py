"""Clock helpers: every stored time is UTC."""

from datetime import UTC, date, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC, the date the product reasons with."""
    return utcnow().date()
