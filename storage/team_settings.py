"""Workspace-wide choices kept in `team_setting` (a team without a row uses the defaults)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session, col, select

from storage.models import DEFAULT_REMINDER_DAYS, TeamSetting

_CACHE = "team_setting"  # session.info key: each team's row (or None), read once per session


def get(*, session: Session, team_id: str) -> TeamSetting | None:
    """The team's row, read once per unit of work: most teams have none, and the identity map
    remembers only rows that exist."""
    cache: dict[str, TeamSetting | None] = session.info.setdefault(_CACHE, {})
    if team_id not in cache:
        cache[team_id] = session.get(TeamSetting, team_id)
    return cache[team_id]


def editable(*, session: Session, team_id: str) -> TeamSetting:
    """The team's row to change (a new one when it has none), kept for later reads."""
    setting = get(session=session, team_id=team_id) or TeamSetting(team_id=team_id)
    session.info.setdefault(_CACHE, {})[team_id] = setting
    return setting


def holiday_calendar(*, session: Session, team_id: str) -> str | None:
    setting = get(session=session, team_id=team_id)
    return setting.holiday_calendar if setting is not None else None


def holiday_calendars(*, session: Session, team_ids: Iterable[str]) -> dict[str, str | None]:
    """Each team's default holiday calendar (teams without one are left out)."""
    wanted = sorted(set(team_ids))
    if not wanted:
        return {}
    rows = session.exec(select(TeamSetting).where(col(TeamSetting.team_id).in_(wanted)))
    return {row.team_id: row.holiday_calendar for row in rows}


def set_holiday_calendar(*, session: Session, team_id: str, calendar: str | None) -> None:
    setting = editable(session=session, team_id=team_id)
    setting.holiday_calendar = calendar
    session.add(setting)
    session.flush()


def reminder_days(*, session: Session, team_id: str) -> int:
    setting = get(session=session, team_id=team_id)
    return setting.reminder_days if setting is not None else DEFAULT_REMINDER_DAYS


def set_reminder_days(*, session: Session, team_id: str, days: int) -> None:
    setting = editable(session=session, team_id=team_id)
    setting.reminder_days = days
    session.add(setting)
    session.flush()
