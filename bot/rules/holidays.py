"""Public holidays: a holiday calendar is a country and an optional subdivision ("GB-ENG",
"US"), read with the `holidays` package. Pure: the package computes dates, no I/O."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import cache

import holidays

from bot.core.errors import InvalidInput
from bot.core.ids import Block
from storage.models import Member

CALENDAR_CHARS = 16
NO_CALENDAR = "none"
_HINT = "use a country code and optional region, e.g. GB-ENG, US or DE-BY, or none"
_CODE_RE = re.compile(r"([A-Za-z]{2})(?:[-\s_]+([A-Za-z0-9]{1,6}))?", re.ASCII)


@cache
def _supported() -> dict[str, tuple[str, frozenset[str]]]:
    """Country code -> (readable name, its subdivision codes)."""
    names = {code: name for name, code, *_ in holidays.registry.COUNTRIES.values()}
    return {
        code: (re.sub(r"(?<=[a-z])(?=[A-Z])", " ", names.get(code, code)), frozenset(subdivs))
        for code, subdivs in holidays.list_supported_countries().items()
    }


def parse_calendar(text: str) -> str | None:
    """`GB-ENG`, `gb eng`, `US` -> the stored code (`GB-ENG`, `US`); `none` -> "none" (no
    public holidays); empty -> None (follow the workspace's default)."""
    shown = text.strip()
    if not shown:
        return None
    if shown.lower() == NO_CALENDAR:
        return NO_CALENDAR
    match = _CODE_RE.fullmatch(shown)
    country = match[1].upper() if match else ""
    known = _supported().get(country)
    if match is None or known is None:
        raise InvalidInput(
            f"Couldn't read '{shown[:CALENDAR_CHARS]}' as a holiday calendar: {_HINT}",
            field=Block.holidays,
        )
    region = (match[2] or "").upper()
    if region and region not in known[1]:
        some = ", ".join(sorted(known[1])[:6])
        raise InvalidInput(
            f"{known[0]} has no region '{region}' in the holiday calendars: "
            f"use one of {some}{'…' if len(known[1]) > 6 else ''}, or the country alone.",
            field=Block.holidays,
        )
    return f"{country}-{region}" if region else country


def effective_calendar(own: str | None, default: str | None) -> str | None:
    """A member's own calendar, else the workspace's; None when neither has holidays."""
    chosen = own or default
    return None if chosen in (None, NO_CALENDAR) else chosen


def calendar_name(code: str | None) -> str:
    """`GB-ENG` -> "United Kingdom (ENG)"; no calendar -> "no public holidays"."""
    if code is None or code == NO_CALENDAR:
        return "no public holidays"
    country, _, region = code.partition("-")
    name = _supported().get(country, (country, frozenset()))[0]
    return f"{name} ({region})" if region else name


@cache
def _holidays_of(code: str, year: int) -> dict[date, str]:
    country, _, region = code.partition("-")
    try:
        found = holidays.country_holidays(country, subdiv=region or None, years=year)
    except NotImplementedError:
        # A stored code the installed package no longer knows: no holidays, rather than a
        # scheduler tick that fails for everyone batched with this member.
        return {}
    return dict(found.items())


def holiday_on(code: str | None, day: date) -> str | None:
    """The name of the public holiday on `day` in that calendar, else None."""
    if code is None or code == NO_CALENDAR:
        return None
    return _holidays_of(code, day.year).get(day)


def holidays_in_week(code: str | None, day: date, workdays: frozenset[int]) -> int:
    """How many of the member's workdays in `day`'s week (Monday to Sunday) are holidays."""
    monday = day - timedelta(days=day.weekday())
    return sum(
        1
        for offset in range(7)
        if offset in workdays and holiday_on(code, monday + timedelta(days=offset)) is not None
    )


def week_capacity(capacity: int, *, workdays: int, holidays_off: int) -> int:
    """A week's capacity less each holiday's share (an equal share per workday)."""
    if workdays <= 0:
        return capacity
    return capacity * max(workdays - holidays_off, 0) // workdays


def capacity_in_week(member: Member, *, default: str | None, day: date) -> int:
    """The member's capacity for `day`'s week, less the share of its public holidays."""
    code = effective_calendar(member.holiday_calendar, default)
    workdays = member.workday_set
    return week_capacity(
        member.capacity_minutes,
        workdays=len(workdays),
        holidays_off=holidays_in_week(code, day, workdays),
    )
