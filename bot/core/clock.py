"""Dates as people mean them."""

from __future__ import annotations

from datetime import date, timedelta

from storage.types import utcnow


def earliest_today() -> date:
    """Today's date in the time zone where it is earliest (UTC-12): a due date before it is in
    the past for everyone, so the check never refuses a date that is still today somewhere."""
    return (utcnow() - timedelta(hours=12)).date()
