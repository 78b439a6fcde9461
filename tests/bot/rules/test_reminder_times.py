"""Reminder times in working days of whoever decides (pure)."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.rules.reminders import add_working_days, working_days_between

WEEKDAYS = frozenset(range(5))
THURSDAY = datetime(2026, 12, 3, 15, 0, tzinfo=UTC)  # 10:00 in New York


def test_a_working_day_later_skips_the_weekend_at_the_same_local_time() -> None:
    one = add_working_days(
        THURSDAY, tz="America/New_York", workdays=WEEKDAYS, calendar=None, days=1
    )
    two = add_working_days(
        THURSDAY, tz="America/New_York", workdays=WEEKDAYS, calendar=None, days=2
    )
    assert one == datetime(2026, 12, 4, 15, 0, tzinfo=UTC)  # Friday
    assert two == datetime(2026, 12, 7, 15, 0, tzinfo=UTC)  # Monday


def test_public_holidays_of_the_calendar_do_not_count() -> None:
    christmas_eve = datetime(2026, 12, 24, 15, 0, tzinfo=UTC)
    us = add_working_days(
        christmas_eve, tz="America/New_York", workdays=WEEKDAYS, calendar="US", days=1
    )
    none = add_working_days(
        christmas_eve, tz="America/New_York", workdays=WEEKDAYS, calendar=None, days=1
    )
    assert us == datetime(2026, 12, 28, 15, 0, tzinfo=UTC)
    assert none == datetime(2026, 12, 25, 15, 0, tzinfo=UTC)


def test_a_week_without_workdays_counts_calendar_days() -> None:
    later = add_working_days(THURSDAY, tz="UTC", workdays=frozenset(), calendar=None, days=2)
    assert later == datetime(2026, 12, 5, 15, 0, tzinfo=UTC)


def test_working_days_waited() -> None:
    monday = datetime(2026, 12, 7, 16, 0, tzinfo=UTC)
    waited = working_days_between(THURSDAY, monday, tz="UTC", workdays=WEEKDAYS, calendar=None)
    assert waited == 2  # Friday and Monday
