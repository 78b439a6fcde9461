"""Dates and time zones as people mean them: aware UTC instants in storage, each person's
own zone (zoneinfo) at the edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.core.errors import InvalidInput
from bot.core.ids import Block
from storage.types import utcnow


def _load_zone(tz: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(tz)
    # Not found, a malformed key ("../x", ""), a directory ("America") or a non-zone data file.
    except (ZoneInfoNotFoundError, ValueError, OSError):
        return None


def is_valid_tz(name: str) -> bool:
    return _load_zone(name) is not None


def zone_of(tz: str) -> ZoneInfo:
    zone = _load_zone(tz)
    if zone is None:
        raise InvalidInput(
            f"Unknown time zone '{tz}': use a name like America/New_York", field=Block.tz
        )
    return zone


def local_date(at: datetime, tz: str) -> date:
    """The calendar date in `tz` at the aware instant `at`."""
    return at.astimezone(zone_of(tz)).date()


def earliest_today() -> date:
    """Today's date in the time zone where it is earliest (UTC-12): a due date before it is in
    the past for everyone, so the check never refuses a date that is still today somewhere."""
    return (utcnow() - timedelta(hours=12)).date()
