"""Who holds a waiting request, and when it is next reminded: the approver, or while they are
out of office their delegate (their own manager of record, else an admin), who is reminded
instead. Run inside the unit of work that creates or moves a request."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.runtime import Runtime
from bot.rules.access import holder_of, is_out_of_office
from bot.rules.holidays import effective_calendar
from bot.rules.reminders import add_working_days
from storage import members as member_store
from storage import team_settings as team_store
from storage.models import DEFAULT_REMINDER_DAYS, Assignment, Member


def known_admin_ids(rt: Runtime, *, session: Session, team_id: str) -> list[str]:
    """The admins of the bot, as far as the database knows (no Slack call inside a unit of
    work): AOR_ADMINS in the operator's order, then the Slack admins the bot has met."""
    known = [m.user_id for m in member_store.slack_admins(session=session, team_id=team_id)]
    return list(dict.fromkeys([*rt.settings.admin_ids, *known]))


def holder_for(
    rt: Runtime, *, session: Session, assignment: Assignment, now: datetime
) -> str | None:
    """Who should hold the request now instead of its approver (None: the approver)."""
    approver = member_store.get_member(
        session=session, team_id=assignment.team_id, user_id=assignment.approver_id
    )
    return _holder(rt, session=session, approver=approver, rep_id=assignment.rep_id, now=now)


def _holder(
    rt: Runtime, *, session: Session, approver: Member | None, rep_id: str, now: datetime
) -> str | None:
    if approver is None:
        return None
    today = local_date(now, approver.effective_tz)
    if not is_out_of_office(approver, today=today):
        return None  # the usual case, without reading who the admins are
    return holder_of(
        approver,
        today=today,
        admin_ids=known_admin_ids(rt, session=session, team_id=approver.team_id),
        rep_id=rep_id,
    )


def next_reminder(*, session: Session, holder: Member | None, after: datetime) -> datetime:
    """The workspace's interval after `after`, in working days of the one who holds it."""
    if holder is None:
        return add_working_days(
            after, tz="UTC", workdays=frozenset(range(5)), calendar=None, days=DEFAULT_REMINDER_DAYS
        )
    setting = team_store.get(session=session, team_id=holder.team_id)
    days = setting.reminder_days if setting is not None else DEFAULT_REMINDER_DAYS
    default = setting.holiday_calendar if setting is not None else None
    calendar = effective_calendar(holder.holiday_calendar, default)
    return add_working_days(
        after, tz=holder.effective_tz, workdays=holder.workday_set, calendar=calendar, days=days
    )


def route_new(
    rt: Runtime, *, session: Session, team_id: str, approver_id: str, rep_id: str, now: datetime
) -> tuple[str | None, datetime]:
    """Where a new request goes: its delegate at once while the approver is away (else None),
    and when it is first reminded."""
    approver = member_store.get_member(session=session, team_id=team_id, user_id=approver_id)
    delegate = _holder(rt, session=session, approver=approver, rep_id=rep_id, now=now)
    holder = (
        member_store.get_member(session=session, team_id=team_id, user_id=delegate)
        if delegate is not None
        else approver
    )
    return delegate, next_reminder(session=session, holder=holder, after=now)
