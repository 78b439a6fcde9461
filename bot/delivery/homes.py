"""The App Homes of several people of one workspace, read together: a unit of work usually
re-renders two (the rep's and the manager's), and each table they draw on is read once for
all of them instead of once per Home and per section."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.runtime import Runtime
from bot.delivery.positions import figures_of, trend_weeks, view_of_member_position
from bot.delivery.reads import doc_of, month_start, team_rows
from bot.render.assignment import view_of
from bot.render.home import HomeData
from bot.rules.day_plan import PlanItem, PlanView, Progress, plan_view, progress_of, week_start
from bot.rules.kpis import WEEK
from storage import assignments as assignment_store
from storage import items as item_store
from storage import kpis as kpi_store
from storage import members as member_store
from storage import plans as plan_store
from storage import reports as report_store
from storage.enums import AssignmentStatus, PlanStatus
from storage.reports import RECEIVED, PlanRow
from storage.types import utcnow


def homes_of(
    rt: Runtime, session: Session, team_id: str, user_ids: list[str]
) -> dict[str, HomeData]:
    """What each person's App Home shows now; a person no longer a member has none. Each
    table the Homes draw on is read once for all of them."""
    members, reports = member_store.with_reports(
        session=session, team_id=team_id, user_ids=list(dict.fromkeys(user_ids))
    )
    if not members:
        return {}
    now = utcnow()
    ids = list(members)
    today = {user: local_date(now, m.effective_tz) for user, m in members.items()}
    reps = [rep for user in ids for rep in reports[user]]
    everyone = list(dict.fromkeys(ids + [rep.user_id for rep in reps]))
    # The team table counts one-off work since the start of its manager's month.
    month_of = {rep.user_id: month_start(members[rep.manager_id or ""], now) for rep in reps}
    read = assignment_store.pending_involving(
        session=session,
        team_id=team_id,
        user_ids=ids,
        one_offs_of=list(month_of),
        since=min(month_of.values(), default=None),
    )
    pending = [a for a in read if a.status == AssignmentStatus.pending]
    outside: dict[str, int] = {}
    for a in read:
        if a.status == AssignmentStatus.one_off and (a.decided_at or now) >= month_of[a.rep_id]:
            outside[a.rep_id] = outside.get(a.rep_id, 0) + a.minutes
    items = item_store.active_for_many(session=session, team_id=team_id, owner_ids=everyone)
    # One span covers each person's KPI trend, today and their team's week.
    since = min(trend_weeks(week_start(day))[0] for day in today.values())
    until = max(week_start(day) for day in today.values())
    plans = report_store.plans_between(
        session=session,
        team_id=team_id,
        user_ids=everyone,
        since=since,
        before=until + WEEK,
        statuses=tuple(PlanStatus),
    )
    checks = plan_store.checks_for(session=session, plan_ids=[p.id or 0 for p in plans])
    received: dict[str, list[PlanView]] = {user: [] for user in everyone}
    todays: dict[tuple[str, date], PlanRow] = {}
    for plan in plans:
        todays[(plan.user_id, plan.plan_date)] = plan
        if plan.status in RECEIVED:
            received[plan.user_id].append(plan_view(plan, checks[plan.id or 0]))
    entries = kpi_store.latest_many(
        session=session, team_id=team_id, user_ids=ids, since=since, until=until
    )
    homes: dict[str, HomeData] = {}
    for user, member in members.items():
        position = view_of_member_position(session=session, member=member)
        week = week_start(today[user])
        figures = figures_of(position, week=week, entries=entries[user], plans=received[user])
        mine = todays.get((user, today[user]))
        homes[user] = HomeData(
            user_id=user,
            name=member.name,
            tz=member.effective_tz,
            manager_id=member.manager_id,
            is_admin=rt.is_admin(member),
            doc=doc_of(
                session=session,
                member=member,
                items=items[user],
                pending=[a for a in pending if a.rep_id == user],
                position=replace(position, figures=figures),
            ),
            approvals=tuple(view_of(a) for a in pending if user in (a.approver_id, a.delegate_id)),
            today=_progress(mine, checks[mine.id or 0]) if mine else None,
            team=team_rows(
                session=session,
                manager=member,
                reps=reports[user],
                items=items,
                plans=received,
                outside=outside,
                now=now,
            ),
        )
    return homes


def _progress(plan: PlanRow, checked: set[int]) -> Progress | None:
    if not plan.items:
        return None
    return progress_of((PlanItem.from_json(i) for i in plan.items), checked)
