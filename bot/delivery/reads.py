"""What delivery renders at send time, read from storage: the AOR document, today's progress,
a manager's team table and the whole App Home. Services read a rep's document the same way for
`/aor doc` and the export."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.runtime import Runtime
from bot.delivery.positions import gather_position
from bot.render.assignment import view_of
from bot.render.doc import AorDoc, ItemRow, PendingRow
from bot.render.home import HomeData, TeamRow
from bot.rules.capacity import load_of, weekly_minutes
from bot.rules.day_plan import PlanItem, PlanView, Progress, plan_view, progress_of, week_start
from bot.rules.holidays import capacity_in_week
from bot.rules.report import week_totals
from storage import assignments as assignment_store
from storage import items as item_store
from storage import members as member_store
from storage import plans as plan_store
from storage import reports as report_store
from storage import team_settings as team_store
from storage.models import Member
from storage.types import utcnow


def week_capacity_of(*, session: Session, member: Member, now: datetime | None = None) -> int:
    """The member's capacity this week (their local week), less its public holidays."""
    default = team_store.holiday_calendar(session=session, team_id=member.team_id)
    today = local_date(now or utcnow(), member.effective_tz)
    return capacity_in_week(member, default=default, day=today)


def gather_doc(*, session: Session, member: Member) -> AorDoc:
    workdays = len(member.workday_set)
    items = item_store.active_for(session=session, team_id=member.team_id, owner_id=member.user_id)
    pending = assignment_store.pending_for_rep(
        session=session, team_id=member.team_id, rep_id=member.user_id
    )
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
        position=gather_position(session=session, member=member),
    )


def today_progress(session: Session, member: Member, today: date) -> Progress | None:
    """How far the member got with the plan dated `today` (None when there is none)."""
    plan = plan_store.get_plan(
        session=session, team_id=member.team_id, user_id=member.user_id, plan_date=today
    )
    if plan is None or plan.id is None or not plan.items:
        return None
    checked = plan_store.checks_for(session=session, plan_ids=[plan.id])[plan.id]
    return progress_of((PlanItem.from_json(i) for i in plan.items), checked)


def gather_home(*, session: Session, rt: Runtime, member: Member) -> HomeData:
    """Everything a person's App Home shows, as of now."""
    approvals = assignment_store.pending_for_approver(
        session=session, team_id=member.team_id, approver_id=member.user_id
    )
    now = utcnow()
    return HomeData(
        user_id=member.user_id,
        name=member.name,
        tz=member.effective_tz,
        manager_id=member.manager_id,
        is_admin=rt.is_admin(member),
        doc=gather_doc(session=session, member=member),
        approvals=tuple(view_of(a) for a in approvals),
        today=today_progress(session, member, local_date(now, member.effective_tz)),
        team=gather_team(session=session, manager=member, now=now),
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
    items = item_store.active_for_many(session=session, team_id=manager.team_id, owner_ids=ids)
    today = local_date(now, manager.effective_tz)
    monday = week_start(today)
    plans = report_store.plans_between(
        session=session,
        team_id=manager.team_id,
        user_ids=ids,
        since=monday,
        before=monday + timedelta(days=7),
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in plans])
    views: dict[str, list[PlanView]] = {rep: [] for rep in ids}
    for plan in plans:
        views[plan.user_id].append(plan_view(plan, checks[plan.id or 0]))
    # The report's rule: a weekly or one-off item is one piece of work however many days it shows.
    done = {rep: week_totals(monday, views[rep]).done for rep in ids}
    month_start = datetime(
        today.year, today.month, 1, tzinfo=ZoneInfo(manager.effective_tz)
    ).astimezone(UTC)
    outside = report_store.one_off_minutes_since(
        session=session, team_id=manager.team_id, rep_ids=ids, since=month_start
    )
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
