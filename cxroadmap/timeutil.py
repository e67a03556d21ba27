"""Clock helpers: every stored time is UTC."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    """Today's date in UTC, the date the product reasons with."""
    return utcnow().date()


def zone(name: str | None) -> ZoneInfo:
    """The time zone of that IANA name (Europe/Amsterdam), UTC when it is none or unknown here."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def local_date(moment: datetime, zone_name: str | None) -> date:
    """The date it is at this moment in that time zone."""
    return moment.astimezone(zone(zone_name)).date()


def aware(moment: datetime | None) -> datetime | None:
    """A stored moment with its zone: SQLite hands back the UTC moments it keeps without one."""
    return moment if moment is None or moment.tzinfo else moment.replace(tzinfo=UTC)
