"""Workspace-wide settings from `/aor settings holidays|reminders …`: the default holiday
calendar and the reminder interval. Changed by an admin of the bot or a manager of record
(DESIGN "Roles and authorization": workspace settings), audited."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlmodel import Session

from bot.core.errors import InvalidInput, NotAllowed
from bot.core.runtime import Runtime
from bot.rules.holidays import NO_CALENDAR, calendar_name, parse_calendar
from bot.services.members import ensure_member
from storage import audit
from storage import members as member_store
from storage import team_settings as team_store

MAX_REMINDER_DAYS = 20
USAGE = (
    "Usage: `/aor settings holidays GB-ENG` sets the workspace's holiday calendar (a country "
    "code and optional region, or `none`); `/aor settings reminders 2` reminds approvers after "
    "2 working days; `/aor settings` alone opens your own settings."
)


def workspace_calendar_text(code: str | None) -> str:
    return (
        f"Workspace holiday calendar: {calendar_name(code)}. Members who choose none of their "
        "own follow it; `/aor settings` sets yours."
    )


def reminder_days_text(days: int) -> str:
    every = "each working day" if days == 1 else f"every {days} working days"
    return (
        f"Waiting requests remind whoever decides them {every} (in their own workdays), "
        "at most 3 times; then the admins are told."
    )


def _save(
    rt: Runtime,
    *,
    team_id: str,
    actor_id: str,
    field: str,
    value: Any,
    write: Callable[[Session], Any],
) -> None:
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)

    def save(session: Session) -> None:
        manages = member_store.reports_of(session=session, team_id=team_id, manager_id=actor_id)
        if not rt.is_admin(actor) and not manages:
            raise NotAllowed(
                "Only an admin of the bot or a manager of record can change the workspace's "
                "settings. `/aor settings` sets your own."
            )
        before = write(session)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action=f"team.{field}",
            subject_type="team",
            subject_id=team_id,
            before={field: before},
            after={field: value},
        )

    rt.transact(save)


def set_workspace_calendar(rt: Runtime, *, team_id: str, actor_id: str, text: str) -> str | None:
    """Save the workspace's default calendar from `GB-ENG`, `US` or `none`."""
    if not text.strip():
        raise InvalidInput(USAGE)
    chosen = parse_calendar(text)
    calendar = None if chosen == NO_CALENDAR else chosen

    def write(session: Session) -> str | None:
        before = team_store.holiday_calendar(session=session, team_id=team_id)
        team_store.set_holiday_calendar(session=session, team_id=team_id, calendar=calendar)
        return before

    _save(
        rt,
        team_id=team_id,
        actor_id=actor_id,
        field="holiday_calendar",
        value=calendar,
        write=write,
    )
    return calendar


def set_reminder_days(rt: Runtime, *, team_id: str, actor_id: str, text: str) -> int:
    """Save the reminder interval, in working days (1 to MAX_REMINDER_DAYS)."""
    shown = text.strip()
    days = int(shown) if shown.isascii() and shown.isdigit() else 0
    if not 1 <= days <= MAX_REMINDER_DAYS:
        raise InvalidInput(
            f"Couldn't read '{shown[:20]}' as a number of working days: use a whole number "
            f"from 1 to {MAX_REMINDER_DAYS}, e.g. `/aor settings reminders 2`."
        )

    def write(session: Session) -> int:
        before = team_store.reminder_days(session=session, team_id=team_id)
        team_store.set_reminder_days(session=session, team_id=team_id, days=days)
        return before

    _save(rt, team_id=team_id, actor_id=actor_id, field="reminder_days", value=days, write=write)
    return days
