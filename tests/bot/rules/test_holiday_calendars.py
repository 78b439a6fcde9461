"""Holiday calendars: reading a code, and a week's capacity less its holidays (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.errors import InvalidInput
from bot.rules.holidays import (
    calendar_name,
    effective_calendar,
    holiday_on,
    holidays_in_week,
    parse_calendar,
    week_capacity,
)

WEEKDAYS = frozenset(range(5))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [("GB-ENG", "GB-ENG"), ("gb eng", "GB-ENG"), ("us", "US"), ("None", "none"), ("  ", None)],
)
def test_calendar_codes_are_read_in_the_forms_people_type(typed: str, stored: str | None) -> None:
    assert parse_calendar(typed) == stored


@pytest.mark.parametrize(
    ("typed", "says"),
    [("Narnia", "Couldn't read 'Narnia'"), ("XX", "Couldn't read 'XX'"), ("GB-XYZ", "no region")],
)
def test_unknown_calendars_are_refused_with_an_example(typed: str, says: str) -> None:
    with pytest.raises(InvalidInput, match=says) as caught:
        parse_calendar(typed)
    assert "GB-ENG" in caught.value.message or "ENG" in caught.value.message


def test_own_calendar_wins_and_none_means_no_holidays() -> None:
    assert effective_calendar("US", "GB-ENG") == "US"
    assert effective_calendar(None, "GB-ENG") == "GB-ENG"
    assert effective_calendar("none", "GB-ENG") is None
    assert calendar_name("GB-ENG") == "United Kingdom (ENG)"
    assert calendar_name(None) == "no public holidays"


def test_england_and_the_us_at_the_end_of_2026() -> None:
    assert holiday_on("GB-ENG", date(2026, 12, 25)) is not None
    assert holiday_on("GB-ENG", date(2026, 12, 28)) is not None  # Boxing Day observed
    assert holiday_on("GB-ENG", date(2026, 12, 29)) is None
    assert holiday_on("US", date(2026, 12, 28)) is None
    assert holidays_in_week("GB-ENG", date(2026, 12, 23), WEEKDAYS) == 1
    assert holidays_in_week("GB-ENG", date(2026, 12, 30), WEEKDAYS) == 2  # 28 Dec, 1 Jan
    assert holidays_in_week("GB-ENG", date(2026, 12, 23), frozenset({0, 1})) == 0


def test_capacity_loses_each_holidays_share() -> None:
    assert week_capacity(2400, workdays=5, holidays_off=1) == 1920
    assert week_capacity(2400, workdays=5, holidays_off=0) == 2400
    assert week_capacity(2400, workdays=0, holidays_off=0) == 2400
