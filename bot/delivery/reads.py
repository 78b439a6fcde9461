"""What delivery renders at send time, read from storage: the AOR document and a manager's
team table, and the pure steps that turn rows into them, which `bot.delivery.homes` shares
when it reads several App Homes at once. Services read a rep's document the same way for
`/aor doc` and the export."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.clock import local_date
from bot.delivery.positions import gather_position
from bot.delivery.received import received_plans
from bot.render.doc import AorDoc, ItemRow, PendingRow
from bot.render.home import TeamRow
from bot.render.position import PositionView
from bot.rules.capacity import load_of, weekly_minutes
from bot.rules.day_plan import PlanView, week_start
from bot.rules.holidays import capacity_in_week
from bot.rules.report import week_totals
from storage import assignments as assignment_store
from storage import items as item_store
from storage import members as member_store
from storage import reports as report_store
from storage import team_settings as team_store
from storage.items import ActiveItem
from storage.models import Assignment, Member
from storage.types import utcnow


def week_capacity_of(*, session: Session, member: Member, now: datetime | None = None) -> int:
    """The member's capacity this week (their local week), less its public holidays."""
    default = team_store.holiday_calendar(session=session, team_id=member.team_id)
    today = local_date(now or utcnow(), member.effective_tz)
    return capacity_in_week(member, default=default, day=today)


def gather_doc(*, session: Session, member: Member) -> AorDoc:
    return doc_of(
        session=session,
        member=member,
        items=item_store.active_for_many(
            session=session, team_id=member.team_id, owner_ids=[member.user_id]
        )[member.user_id],
        pending=assignment_store.pending_for_rep(
            session=session, team_id=member.team_id, rep_id=member.user_id
        ),
        position=gather_position(session=session, member=member),
    )


def doc_of(
    *,
    session: Session,
    member: Member,
    items: Sequence[ActiveItem],
    pending: Sequence[Assignment],
    position: PositionView,
) -> AorDoc:
    """The member's AOR document from their active items and pending requests."""
    workdays = len(member.workday_set)
    return AorDoc(
        rep_id=member.user_id,
        rep_name=member.name,
        load=load_of(
            items, capacity=week_capacity_of(session=session, member=member), workdays=workdays
        ),
        items=tuple(
            ItemRow(
                id=i.id or 0,
                title=i.title,
                tier=i.tier,
                minutes=i.minutes,
                cadence=i.cadence,
                due=i.due,
                origin=i.origin,
                requested_by=i.requested_by,
                since=i.created_at,
                since_day=local_date(i.created_at, member.effective_tz),
                weekly=weekly_minutes(i.minutes, i.cadence, workdays),
            )
            for i in items
        ),
        pending=tuple(
            PendingRow(
                id=a.id or 0,
                title=a.title,
                minutes=a.minutes,
                cadence=a.cadence,
                approver_id=a.approver_id,
                requested_by=a.requested_by,
            )
            for a in pending
        ),
        position=position,
    )


def gather_team(*, session: Session, manager: Member, now: datetime) -> tuple[TeamRow, ...]:
    """Each rep who has this person as manager of record: load, this week's selling share
    (ticked minutes) and one-off outside work accepted this month."""
    reps = member_store.reports_of(
        session=session, team_id=manager.team_id, manager_id=manager.user_id
    )
    if not reps:
        return ()
    ids = [r.user_id for r in reps]
    monday = week_start(local_date(now, manager.effective_tz))
    return team_rows(
        session=session,
        manager=manager,
        reps=reps,
        items=item_store.active_for_many(session=session, team_id=manager.team_id, owner_ids=ids),
        plans=received_plans(
            session=session,
            team_id=manager.team_id,
            user_ids=ids,
            since=monday,
            before=monday + timedelta(days=7),
        ),
        outside=report_store.one_off_minutes_since(
            session=session,
            team_id=manager.team_id,
            rep_ids=ids,
            since=month_start(manager, now),
        ),
        now=now,
    )


def month_start(manager: Member, now: datetime) -> datetime:
    """When the manager's month began: the team table counts one-off work since then."""
    today = local_date(now, manager.effective_tz)
    return datetime(today.year, today.month, 1, tzinfo=ZoneInfo(manager.effective_tz)).astimezone(
        UTC
    )


def team_rows(
    *,
    session: Session,
    manager: Member,
    reps: Sequence[Member],
    items: Mapping[str, Sequence[ActiveItem]],
    plans: Mapping[str, Sequence[PlanView]],
    outside: Mapping[str, int],
    now: datetime,
) -> tuple[TeamRow, ...]:
    """The team table from the reps' active items, their received plans of the manager's
    week (other weeks' are left out by `week_totals`) and their one-off minutes this month."""
    monday = week_start(local_date(now, manager.effective_tz))
    # The report's rule: a weekly or one-off item is one piece of work however many days it shows.
    done = {rep.user_id: week_totals(monday, plans[rep.user_id]).done for rep in reps}
    return tuple(
        TeamRow(
            user_id=rep.user_id,
            load=load_of(
                items[rep.user_id],
                capacity=week_capacity_of(session=session, member=rep, now=now),
                workdays=len(rep.workday_set),
            ),
            done_first=done[rep.user_id].first,
            done_total=done[rep.user_id].total,
            outside_month=outside.get(rep.user_id, 0),
        )
        for rep in reps
    )
