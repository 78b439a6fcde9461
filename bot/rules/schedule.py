"""When each person's morning plan is due, in their own time zone (pure, DST-safe)."""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from bot.core.clock import zone_of
from bot.core.errors import InvalidInput
from bot.core.ids import Block
from storage.models import Member

_DAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DAY_ABBREVIATIONS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_DAY_GROUPS = {
    "weekdays": frozenset(range(5)),
    "weekend": frozenset({5, 6}),
    "weekends": frozenset({5, 6}),
}
_EN_DASH = "\u2013"
_WORKDAYS_HINT = f"use e.g. Mon{_EN_DASH}Fri or Mon, Wed, Fri"


def first_instant_at(day: date, wall: time, zone: ZoneInfo) -> datetime:
    """The first UTC instant at which the wall clock in `zone` reads `wall` on `day`.

    Ambiguous times (clocks going back) take the first occurrence. Times skipped by clocks
    going forward take the end of the gap, when the clock first passes `wall` that day.
    """
    local = datetime.combine(day, wall, tzinfo=zone)  # fold=0: first occurrence
    instant = local.astimezone(UTC)
    if instant.astimezone(zone).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    # In a gap, fold=0 maps with the offset from before it, which lands after the gap's end;
    # fold=1 uses the later offset and lands before the gap. Search between them, in whole
    # seconds since transitions fall on whole seconds.
    naive = local.replace(tzinfo=None)
    low = math.floor(local.replace(fold=1).timestamp())
    high = math.ceil(instant.timestamp())
    while high - low > 1:
        middle = (low + high) // 2
        if datetime.fromtimestamp(middle, zone).replace(tzinfo=None) >= naive:
            high = middle
        else:
            low = middle
    return datetime.fromtimestamp(high, UTC)


def next_plan_at(
    *,
    after: datetime,
    tz: str,
    plan_time: time,
    workdays: frozenset[int],
    ooo_until: date | None,
) -> datetime | None:
    """The first instant strictly after `after` when a plan is due, in UTC.

    A plan is due at `plan_time` local wall time on each workday (0=Mon..6=Sun) from
    `ooo_until` on (the first day back). None when no weekday is a workday.
    """
    if after.tzinfo is None:
        raise ValueError("after must be timezone-aware")
    zone = zone_of(tz)
    day = after.astimezone(zone).date()
    if ooo_until is not None and ooo_until > day:
        day = ooo_until
    # Eight days: the first may already be past `after`, then each weekday comes once.
    for offset in range(8):
        candidate_day = day + timedelta(days=offset)
        if candidate_day.weekday() not in workdays:
            continue
        candidate = first_instant_at(candidate_day, plan_time, zone)
        if candidate > after:
            return candidate
    return None


def _day_number(word: str) -> int:
    # Any unambiguous prefix of two letters or more: "mo", "tue", "thurs", "friday".
    matches = [i for i, name in enumerate(_DAY_NAMES) if len(word) >= 2 and name.startswith(word)]
    if len(matches) != 1:
        raise InvalidInput(
            f"Couldn't read '{word}' as a day: {_WORKDAYS_HINT}", field=Block.workdays
        )
    return matches[0]


def parse_workdays(text: str) -> frozenset[int]:
    """Weekday numbers (0=Mon) from `Mon-Fri` (any dash), `Mon, Wed, Fri`, `weekdays`, `Sat-Mon`."""
    normalized = re.sub(r"\s*[-\u2013\u2014]\s*", "-", text.strip().lower())
    days: set[int] = set()
    for part in re.split(r"[\s,;/&]+|\band\b", normalized):
        if not part:
            continue
        if part in _DAY_GROUPS:
            days |= _DAY_GROUPS[part]
        elif "-" in part:
            start_word, _, end_word = part.partition("-")
            start, end = _day_number(start_word), _day_number(end_word)
            # Ranges may wrap past Sunday, e.g. Sat-Mon.
            days.update((start + i) % 7 for i in range((end - start) % 7 + 1))
        else:
            days.add(_day_number(part))
    if not days:
        raise InvalidInput(f"Pick at least one workday: {_WORKDAYS_HINT}", field=Block.workdays)
    return frozenset(days)


def format_workdays(workdays: frozenset[int]) -> str:
    """`Mon\u2013Fri`, `Mon, Wed, Fri`, `Mon, Tue, Sat`: runs of three days or more are ranges."""
    if not workdays:
        return "no days"
    runs: list[list[int]] = []
    for day in sorted(workdays):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    parts: list[str] = []
    for run in runs:
        if len(run) >= 3:
            parts.append(f"{_DAY_ABBREVIATIONS[run[0]]}{_EN_DASH}{_DAY_ABBREVIATIONS[run[-1]]}")
        else:
            parts.extend(_DAY_ABBREVIATIONS[day] for day in run)
    return ", ".join(parts)


def next_due(member: Member, *, after: datetime) -> datetime | None:
    """The member's next plan time after `after`, from their own settings."""
    return next_plan_at(
        after=after,
        tz=member.effective_tz,
        plan_time=member.plan_time,
        workdays=member.workday_set,
        ooo_until=member.ooo_until,
    )
