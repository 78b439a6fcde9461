"""When a waiting request is reminded, in the approver's own working days (pure)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.core.clock import zone_of
from bot.rules.holidays import holiday_on

MAX_REMINDERS = 3
_LOOKAHEAD_DAYS = 370  # past a year of holidays and short weeks, something is wrong


def is_working_day(day: date, *, workdays: frozenset[int], calendar: str | None) -> bool:
    return day.weekday() in workdays and holiday_on(calendar, day) is None


def add_working_days(
    at: datetime, *, tz: str, workdays: frozenset[int], calendar: str | None, days: int
) -> datetime:
    """The same local wall time `days` working days after `at` (weekends and public holidays
    of `calendar` do not count). A week without workdays counts calendar days."""
    zone = zone_of(tz)
    local = at.astimezone(zone)
    day, counted = local.date(), 0
    if workdays:
        for _ in range(_LOOKAHEAD_DAYS):
            day += timedelta(days=1)
            if is_working_day(day, workdays=workdays, calendar=calendar):
                counted += 1
                if counted == days:
                    moved = datetime.combine(day, local.time(), tzinfo=zone)
                    return moved.astimezone(UTC)
    return at + timedelta(days=days)


def working_days_between(
    start: datetime, end: datetime, *, tz: str, workdays: frozenset[int], calendar: str | None
) -> int:
    """Whole working days from `start`'s local date to `end`'s (the first day not counted)."""
    zone = zone_of(tz)
    day, last = start.astimezone(zone).date(), end.astimezone(zone).date()
    count = 0
    while day < last:
        day += timedelta(days=1)
        count += is_working_day(day, workdays=workdays, calendar=calendar)
    return count
