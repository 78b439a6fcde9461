"""The workspace's default holiday calendar: read by anyone, changed by an admin of the bot or
a manager of record (DESIGN "Roles and authorization": workspace settings)."""

from __future__ import annotations

from sqlmodel import Session

from bot.core.errors import InvalidInput, NotAllowed
from bot.core.runtime import Runtime
from bot.rules.holidays import NO_CALENDAR, calendar_name, parse_calendar
from bot.services.members import ensure_member
from storage import audit
from storage import members as member_store
from storage import team_settings as team_store

USAGE = (
    "Usage: `/aor settings holidays GB-ENG` sets the workspace's holiday calendar (a country "
    "code and optional region, or `none`); `/aor settings` alone opens your own settings."
)


def workspace_calendar_text(code: str | None) -> str:
    return (
        f"Workspace holiday calendar: {calendar_name(code)}. Members who choose none of their "
        "own follow it; `/aor settings` sets yours."
    )


def set_workspace_calendar(rt: Runtime, *, team_id: str, actor_id: str, text: str) -> str | None:
    """Save the workspace's default calendar from `GB-ENG`, `US` or `none`; audited."""
    if not text.strip():
        raise InvalidInput(USAGE)
    chosen = parse_calendar(text)
    calendar = None if chosen == NO_CALENDAR else chosen
    actor = ensure_member(rt, team_id=team_id, user_id=actor_id)

    def save(session: Session) -> str | None:
        manages = member_store.reports_of(session=session, team_id=team_id, manager_id=actor_id)
        if not rt.is_admin(actor) and not manages:
            raise NotAllowed(
                "Only an admin of the bot or a manager of record can change the workspace's "
                "holiday calendar. `/aor settings` sets your own."
            )
        before = team_store.holiday_calendar(session=session, team_id=team_id)
        team_store.set_holiday_calendar(session=session, team_id=team_id, calendar=calendar)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=actor_id,
            action="team.holiday_calendar",
            subject_type="team",
            subject_id=team_id,
            before={"holiday_calendar": before},
            after={"holiday_calendar": calendar},
        )
        return calendar

    return rt.transact(save)
