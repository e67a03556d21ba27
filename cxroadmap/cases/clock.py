"""The service-level clock: working days are Monday to Friday in the organisation's time zone."""

from datetime import UTC, datetime, timedelta

from cxroadmap.timeutil import zone

SATURDAY = 5


def _is_working(day) -> bool:
    return day.weekday() < SATURDAY


def due_moment(opened_at: datetime, working_days: int, time_zone: str | None) -> datetime:
    """When a case opened at `opened_at` falls due, `working_days` working days later (UTC).

    The clock keeps the local time of day and skips Saturdays and Sundays: Friday 16:00 plus two is Tuesday 16:00.
    A case opened on a weekend starts at Monday 00:00, so it is due at the end of the second working day after.
    """
    where = zone(time_zone)
    local = opened_at.astimezone(where)
    start = local.replace(tzinfo=None)
    while not _is_working(start):
        start = datetime.combine(start.date() + timedelta(days=1), datetime.min.time())
    day, left = start.date(), working_days
    while left > 0:
        day += timedelta(days=1)
        if _is_working(day):
            left -= 1
    due = datetime.combine(day, start.time()).replace(tzinfo=where)
    return due.astimezone(UTC)


def working_seconds(start: datetime, end: datetime, time_zone: str | None) -> float:
    """The time between two moments with Saturdays and Sundays (local) left out, in seconds."""
    if end <= start:
        return 0.0
    where = zone(time_zone)
    here, there = start.astimezone(where).replace(tzinfo=None), end.astimezone(where).replace(tzinfo=None)
    total, moment = 0.0, here
    while moment < there:
        midnight = datetime.combine(moment.date() + timedelta(days=1), datetime.min.time())
        stop = min(midnight, there)
        if _is_working(moment):
            total += (stop - moment).total_seconds()
        moment = stop
    return total


def working_days_between(start: datetime, end: datetime, time_zone: str | None) -> float:
    """`working_seconds` in days of 24 hours: a case opened Friday 16:00 and closed Monday 10:00 took 0.75."""
    return working_seconds(start, end, time_zone) / 86400
