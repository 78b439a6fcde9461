from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.core.clock import is_valid_tz, local_date
from bot.core.errors import InvalidInput
from bot.rules.schedule import format_workdays, next_plan_at, parse_workdays

WEEKDAYS = frozenset(range(5))
EVERY_DAY = frozenset(range(7))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def plan(
    after: datetime,
    tz: str,
    at: time = time(8, 30),
    workdays: frozenset[int] = WEEKDAYS,
    ooo_until: date | None = None,
) -> datetime | None:
    return next_plan_at(after=after, tz=tz, plan_time=at, workdays=workdays, ooo_until=ooo_until)


def test_los_angeles_skips_the_weekend_across_dst() -> None:
    friday = plan(utc(2026, 3, 6, 12, 0), "America/Los_Angeles")
    assert friday == utc(2026, 3, 6, 16, 30)  # PST, UTC-8
    # DST starts Sunday 2026-03-08; Monday is PDT, UTC-7.
    assert plan(friday, "America/Los_Angeles") == utc(2026, 3, 9, 15, 30)


def test_strictly_after() -> None:
    assert plan(utc(2026, 3, 6, 16, 29, 59), "America/Los_Angeles") == utc(2026, 3, 6, 16, 30)
    assert plan(utc(2026, 3, 6, 16, 30), "America/Los_Angeles") == utc(2026, 3, 9, 15, 30)


def test_kolkata() -> None:
    assert plan(utc(2026, 3, 5, 12, 0), "Asia/Kolkata") == utc(2026, 3, 6, 3, 0)


def test_auckland_before_and_after_dst_ends() -> None:
    # Local date runs ahead of UTC: 08:30 NZDT (UTC+13) on Fri 6 March is 19:30Z on the 5th.
    assert plan(utc(2026, 3, 5, 12, 0), "Pacific/Auckland") == utc(2026, 3, 5, 19, 30)
    # NZDT ends Sunday 2026-04-05; Monday 6 April is NZST, UTC+12.
    assert plan(utc(2026, 4, 3, 12, 0), "Pacific/Auckland") == utc(2026, 4, 5, 20, 30)


def test_plan_time_in_spring_forward_gap_uses_end_of_gap() -> None:
    # 02:00-03:00 does not exist in New York on 2026-03-08; the clock jumps at 07:00Z.
    assert plan(utc(2026, 3, 8, 0, 0), "America/New_York", time(2, 30), EVERY_DAY) == utc(
        2026, 3, 8, 7, 0
    )
    # The next day is back to normal: 02:30 EDT.
    assert plan(utc(2026, 3, 8, 7, 0), "America/New_York", time(2, 30), EVERY_DAY) == utc(
        2026, 3, 9, 6, 30
    )


def test_ambiguous_plan_time_takes_first_occurrence() -> None:
    # 01:30 happens twice in New York on 2026-11-01: 05:30Z (EDT) then 06:30Z (EST).
    first = plan(utc(2026, 11, 1, 0, 0), "America/New_York", time(1, 30), EVERY_DAY)
    assert first == utc(2026, 11, 1, 5, 30)
    assert plan(first, "America/New_York", time(1, 30), EVERY_DAY) == utc(2026, 11, 2, 6, 30)


def test_ooo_until_is_first_day_back() -> None:
    # Away until Wed 2026-03-11: the first plan is that morning.
    assert plan(utc(2026, 3, 6, 12, 0), "America/Los_Angeles", ooo_until=date(2026, 3, 11)) == utc(
        2026, 3, 11, 15, 30
    )
    # A first day back on a weekend waits for the next workday.
    assert plan(utc(2026, 3, 6, 12, 0), "Asia/Kolkata", ooo_until=date(2026, 3, 14)) == utc(
        2026, 3, 16, 3, 0
    )
    # A past ooo_until changes nothing.
    assert plan(utc(2026, 3, 6, 0, 0), "Asia/Kolkata", ooo_until=date(2026, 1, 1)) == utc(
        2026, 3, 6, 3, 0
    )


def test_empty_workdays() -> None:
    assert plan(utc(2026, 3, 6, 12, 0), "Asia/Kolkata", workdays=frozenset()) is None


def test_unknown_tz() -> None:
    with pytest.raises(InvalidInput) as caught:
        plan(utc(2026, 3, 6, 12, 0), "Mars/Olympus_Mons")
    assert caught.value.field == "tz"
    for name in ["", "America", "../etc/passwd", "Mars/Olympus_Mons"]:
        assert not is_valid_tz(name)
    assert is_valid_tz("Pacific/Auckland")


@given(
    st.datetimes(
        min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1), timezones=st.just(UTC)
    ),
    st.sampled_from(["America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Kolkata"]),
    st.times(),
    st.frozensets(st.integers(0, 6), min_size=1),
)
def test_next_plan_is_after_on_a_workday_and_at_or_after_plan_time(
    after: datetime, tz: str, at: time, workdays: frozenset[int]
) -> None:
    result = plan(after, tz, at, workdays)
    assert result is not None
    assert after < result <= after + timedelta(days=8)
    assert result.utcoffset() == timedelta(0)
    assert local_date(result, tz).weekday() in workdays
    local = result.astimezone(ZoneInfo(tz)).replace(tzinfo=None)
    # Equal unless the wall time was skipped by DST, then the end of that (short) gap.
    assert timedelta(0) <= local - datetime.combine(local.date(), at) <= timedelta(hours=1)


def test_local_date() -> None:
    assert local_date(utc(2026, 3, 5, 19, 30), "Pacific/Auckland") == date(2026, 3, 6)
    assert local_date(utc(2026, 3, 6, 7, 59), "America/Los_Angeles") == date(2026, 3, 5)


@pytest.mark.parametrize(
    ("text", "days"),
    [
        ("Mon\u2013Fri", WEEKDAYS),
        ("mon - fri", WEEKDAYS),
        ("weekdays", WEEKDAYS),
        ("Mon, Wed, Fri", frozenset({0, 2, 4})),
        ("monday and thurs", frozenset({0, 3})),
        ("Sat-Mon", frozenset({5, 6, 0})),
        ("Mon-Thu, Sat", frozenset({0, 1, 2, 3, 5})),
    ],
)
def test_parse_workdays(text: str, days: frozenset[int]) -> None:
    assert parse_workdays(text) == days


@pytest.mark.parametrize("text", ["", "Mon, Funday", "t", "Mon-", "s"])
def test_parse_workdays_errors(text: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        parse_workdays(text)
    assert caught.value.field == "workdays"


@pytest.mark.parametrize(
    ("days", "text"),
    [
        (WEEKDAYS, "Mon\u2013Fri"),
        (frozenset({0, 2, 4}), "Mon, Wed, Fri"),
        (frozenset({0, 1, 5}), "Mon, Tue, Sat"),
        (frozenset({0, 1, 2, 3, 4, 6}), "Mon\u2013Fri, Sun"),
        (frozenset(), "no days"),
    ],
)
def test_format_workdays(days: frozenset[int], text: str) -> None:
    assert format_workdays(days) == text


@given(st.frozensets(st.integers(0, 6), min_size=1))
def test_workdays_round_trip(days: frozenset[int]) -> None:
    assert parse_workdays(format_workdays(days)) == days
