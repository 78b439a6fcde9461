"""A person's plan settings and out-of-office: saved, audited, and the next plan time
recomputed at once."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import InvalidInput
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.core.text import slack_date
from bot.render.settings_modal import PlanSettings, settings_of
from bot.rules.holidays import calendar_name, effective_calendar
from bot.rules.parsing import format_minutes, parse_due
from bot.rules.schedule import format_workdays, next_due
from bot.services.members import ensure_member
from storage import audit
from storage import members as member_store
from storage import outbox as outbox_store
from storage import team_settings as team_store
from storage.models import Member
from storage.types import utcnow

logger = logging.getLogger(__name__)


def _snapshot(member: Member) -> dict[str, Any]:
    return {
        "plan_time": member.plan_time.strftime("%H:%M"),
        "workdays": member.workdays,
        "capacity_minutes": member.capacity_minutes,
        "tz_override": member.tz_override,
        "ooo_until": member.ooo_until.isoformat() if member.ooo_until else None,
        "holiday_calendar": member.holiday_calendar,
    }


def _update(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    action: str,
    now: datetime | None,
    tell_manager: bool,
    **values: Any,
) -> Member:
    """Save, audit and reschedule; then republish the App Home of the member and, with
    `tell_manager`, of their manager of record (whose team table shows the member's load)."""
    ensure_member(rt, team_id=team_id, user_id=user_id)

    def save(session: Session) -> Member:
        member = member_store.get_member(session=session, team_id=team_id, user_id=user_id)
        assert member is not None  # ensure_member saved it
        before = _snapshot(member)
        for name, value in values.items():
            setattr(member, name, value)
        # Saving settings is a sign of life: plans stopped because Slack said the person was
        # unreachable start again.
        member.plans_enabled = True
        member.next_plan_at = next_due(member, after=now or utcnow())
        session.add(member)
        audit.record(
            session=session,
            team_id=team_id,
            actor_id=user_id,
            action=action,
            subject_type="member",
            subject_id=user_id,
            member_id=user_id,
            before=before,
            after=_snapshot(member),
        )
        viewers = [user_id, member.manager_id] if tell_manager and member.manager_id else [user_id]
        outbox_store.enqueue_homes(session=session, team_id=team_id, user_ids=viewers)
        return member

    member = rt.transact(save)
    log_event(logger, action, team=team_id, user=user_id, next_plan_at=member.next_plan_at)
    return member


def current_settings(
    rt: Runtime, *, team_id: str, user_id: str
) -> tuple[PlanSettings, str, str | None]:
    """The settings to prefill, the time zone Slack reports for the person, and the
    workspace's holiday calendar (theirs when they choose none)."""
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    default = rt.transact(
        lambda session: team_store.holiday_calendar(session=session, team_id=team_id)
    )
    return settings_of(member), member.tz, default


def save_settings(
    rt: Runtime, *, team_id: str, user_id: str, new: PlanSettings, now: datetime | None = None
) -> Member:
    return _update(
        rt,
        team_id=team_id,
        user_id=user_id,
        action="member.plan_settings",
        now=now,
        tell_manager=True,
        plan_time=new.plan_time,
        workdays=",".join(str(d) for d in sorted(new.workdays)),
        capacity_minutes=new.capacity_minutes,
        tz_override=new.tz_override,
        holiday_calendar=new.holiday_calendar,
    )


# What people type for a short absence: the first day back is the day after the one named.
_OOO_DAYS = {"today": 1, "tomorrow": 2}


def parse_ooo(text: str, *, today: date) -> date | None:
    """`off` ends out-of-office; `today` or `tomorrow` is out that day (back the day after);
    a date is the first day back (today or later)."""
    word = text.strip().lower()
    if word == "off":
        return None
    if word in _OOO_DAYS:
        return today + timedelta(days=_OOO_DAYS[word])
    try:
        back = parse_due(text, today=date.min)  # only reads it; the past is said below
    except InvalidInput:
        example = (today + timedelta(days=7)).isoformat()
        raise InvalidInput(
            f"Couldn't read '{text.strip()}' as your first day back: use YYYY-MM-DD "
            f"(e.g. `/aor ooo {example}`), `today` or `tomorrow` (out that day, back the day "
            "after), or `off`."
        ) from None
    if back < today:
        raise InvalidInput(
            f"{back.isoformat()} is in the past: give your first day back, today or later."
        )
    return back


def set_ooo(
    rt: Runtime, *, team_id: str, user_id: str, text: str, now: datetime | None = None
) -> Member:
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    today = local_date(now or utcnow(), member.effective_tz)
    until = parse_ooo(text, today=today)
    return _update(
        rt,
        team_id=team_id,
        user_id=user_id,
        action="member.ooo",
        now=now,
        tell_manager=False,
        ooo_until=until,
    )


def schedule_text(rt: Runtime, member: Member) -> str:
    """What the settings now mean, in one paragraph."""
    workspace_calendar = rt.transact(
        lambda session: team_store.holiday_calendar(session=session, team_id=member.team_id)
    )
    per_day = member.capacity_minutes // max(len(member.workday_set), 1)
    lines = [
        f"Morning plans at {member.plan_time:%H:%M} on {format_workdays(member.workday_set)} "
        f"({member.effective_tz}); {format_minutes(member.capacity_minutes)} a week, "
        f"{format_minutes(per_day)} a day."
    ]
    calendar = effective_calendar(member.holiday_calendar, workspace_calendar)
    whose = "" if member.holiday_calendar else ", the workspace's"
    lines.append(f"Public holidays: {calendar_name(calendar)}{whose}.")
    if member.ooo_until is not None:
        lines.append(f"Out of office: no plans before {member.ooo_until:%A %-d %B %Y}.")
    if member.next_plan_at is not None:
        lines.append(f"Next plan: {slack_date(member.next_plan_at)}.")
    return "\n".join(lines)
