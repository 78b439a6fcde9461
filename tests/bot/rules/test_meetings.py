"""The 1:1 rhythm: meetings stay at the manager's wall-clock time across DST, so their UTC
instant (and the rep's local time) moves; packs are due an hour before; typed schedules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest

from bot.core.errors import InvalidInput
from bot.rules.meetings import (
    CoachingArgs,
    Rhythm,
    first_anchor,
    meeting_after,
    pack_due,
    parse_coaching_args,
)

NY = "America/New_York"


def _meetings(rhythm: Rhythm, after: datetime, count: int) -> list[datetime]:
    found = []
    for _ in range(count):
        after = meeting_after(rhythm, after=after)
        found.append(after)
    return found


def test_weekly_across_the_us_clock_change() -> None:
    # Tuesdays 10:00 in New York; US clocks go back on Sunday 1 November 2026.
    start = datetime(2026, 10, 20, 12, 0, tzinfo=UTC)
    anchor = first_anchor(weekday=1, at=time(10), tz=NY, after=start)
    assert anchor == date(2026, 10, 20)
    rhythm = Rhythm(1, time(10), 1, anchor, NY)
    assert _meetings(rhythm, start, 4) == [
        datetime(2026, 10, 20, 14, 0, tzinfo=UTC),  # 10:00 EDT (UTC-4) = 19:30 in Kolkata
        datetime(2026, 10, 27, 14, 0, tzinfo=UTC),
        datetime(2026, 11, 3, 15, 0, tzinfo=UTC),  # 10:00 EST (UTC-5) = 20:30 in Kolkata
        datetime(2026, 11, 10, 15, 0, tzinfo=UTC),
    ]
    assert pack_due(datetime(2026, 11, 3, 15, 0, tzinfo=UTC)) == datetime(
        2026, 11, 3, 14, 0, tzinfo=UTC
    )


def test_every_two_weeks_counts_from_the_anchor_and_spring_forward() -> None:
    # US clocks go forward on Sunday 14 March 2027.
    rhythm = Rhythm(0, time(9, 30), 2, date(2027, 3, 1), NY)
    assert _meetings(rhythm, datetime(2027, 3, 2, tzinfo=UTC), 2) == [
        datetime(2027, 3, 15, 13, 30, tzinfo=UTC),  # 09:30 EDT
        datetime(2027, 3, 29, 13, 30, tzinfo=UTC),
    ]
    # Asked at the very instant of a meeting: the next one, never the same one twice.
    assert meeting_after(rhythm, after=datetime(2027, 3, 15, 13, 30, tzinfo=UTC)) == datetime(
        2027, 3, 29, 13, 30, tzinfo=UTC
    )


def test_today_later_is_the_first_meeting_today_earlier_is_next_week() -> None:
    at = datetime(2026, 10, 20, 15, 0, tzinfo=UTC)  # Tuesday 11:00 in New York
    assert first_anchor(weekday=1, at=time(12), tz=NY, after=at) == date(2026, 10, 20)
    assert first_anchor(weekday=1, at=time(10), tz=NY, after=at) == date(2026, 10, 27)


def test_schedules_as_typed() -> None:
    assert parse_coaching_args("<@UREP|rob> tue 10:00 every 2 weeks") == CoachingArgs(
        "UREP", 1, time(10), 2
    )
    assert parse_coaching_args("Friday 9:30") == CoachingArgs(None, 4, time(9, 30), None)
    assert parse_coaching_args("mon 08:00 weekly").every_weeks == 1


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("tue 10:00 every 3 weeks", "every 1, 2 or 4 weeks"),
        ("t 10:00", "'t' as a weekday"),
        ("tue 25:00", "'25:00' as a time"),
        ("tue", "a weekday and a time"),
    ],
)
def test_refusals_say_what_to_type(text: str, why: str) -> None:
    with pytest.raises(InvalidInput, match=why):
        parse_coaching_args(text)
