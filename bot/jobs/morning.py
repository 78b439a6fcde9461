"""The morning fan-out, run by every scheduler tick.

Due members are taken in batches (on PostgreSQL with SKIP LOCKED, so several schedulers split
the load). In one transaction per batch each day's `DailyPlan` is claimed by insert (the unique
key lets exactly one process win), its DM is queued in the outbox, and `next_plan_at` moves to the
next local workday. Delivery is the outbox's job; a plan becomes `sent` once its DM is delivered.

So a claimed plan always has its DM queued: the one crash window is an outbox entry claimed
for sending and not yet sent. Its lease (`bot.delivery.outbox.LEASE`) keeps other processes off
it until it runs out; then any tick's outbox drain sends it."""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlmodel import Session

from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.delivery.outbox import KIND_MESSAGE
from bot.render.checklist import PlanView, build_checklist
from bot.rules.day_plan import PlanItem, choose_items, daily_budget, week_start
from bot.rules.schedule import is_valid_tz, local_date, next_plan_at
from storage import outbox as outbox_store
from storage import plans as store
from storage.enums import PlanStatus
from storage.models import DailyPlan, Member, Outbox

logger = logging.getLogger(__name__)

BATCH = 1000
OVERDUE_AFTER = timedelta(hours=4)


@dataclass
class PlanReport:
    scheduled: int = 0  # members given their first plan time
    queued: int = 0  # plans claimed here and their DM queued
    lost: int = 0  # the day was already claimed (another process, or /aor plan)
    skipped: int = 0  # overdue by more than OVERDUE_AFTER
    empty: int = 0  # nothing to do that day: no DM
    delivered: int = 0  # plans marked sent


@dataclass(frozen=True)
class Draft:
    member: Member
    plan_date: date
    budget: int
    items: tuple[PlanItem, ...]


def next_due(member: Member, *, after: datetime) -> datetime | None:
    return next_plan_at(
        after=after,
        tz=member.effective_tz,
        plan_time=member.plan_time,
        workdays=member.workday_set,
        ooo_until=member.ooo_until,
    )


def view_of(plan: DailyPlan, checked: set[int]) -> PlanView:
    return PlanView(
        plan_id=plan.id or 0,
        plan_date=plan.plan_date,
        budget_minutes=plan.budget_minutes,
        items=tuple(PlanItem.from_json(i) for i in plan.items),
        checked=frozenset(checked),
    )


def message_entry(*, team_id: str, user_id: str, view: PlanView) -> dict[str, Any]:
    """An outbox row for the plan's DM (posted first, updated in place after)."""
    return {
        "team_id": team_id,
        "kind": KIND_MESSAGE,
        "user_id": user_id,
        "message_key": store.plan_key(view.plan_id),
        "payload": build_checklist(view),
    }


def draft_plans(
    *, session: Session, members: list[Member], days: dict[store.Key, date]
) -> dict[store.Key, Draft]:
    """Each member's checklist for their day; members with nothing to do are left out."""
    keys = [(m.team_id, m.user_id) for m in members]
    if not keys:
        return {}
    items = store.active_items(session=session, keys=keys)
    ticked: dict[store.Key, set[int]] = defaultdict(set)
    for tick in store.ticked_items(
        session=session,
        keys=keys,
        since=min(week_start(d) for d in days.values()),
        before=max(days.values()),
    ):
        key = (tick.team_id, tick.user_id)
        if week_start(days[key]) <= tick.plan_date < days[key]:
            ticked[key].add(tick.item_id)
    drafts: dict[store.Key, Draft] = {}
    for member, key in zip(members, keys, strict=True):
        budget = daily_budget(member.capacity_minutes, len(member.workday_set))
        chosen = choose_items(
            items[key], today=days[key], ticked_this_week=ticked[key], budget=budget
        )
        if chosen:
            drafts[key] = Draft(member, days[key], budget, tuple(chosen))
    return drafts


def plan_row(draft: Draft, *, status: PlanStatus, instance: str, now: datetime) -> dict[str, Any]:
    return {
        "team_id": draft.member.team_id,
        "user_id": draft.member.user_id,
        "plan_date": draft.plan_date,
        "status": status,
        "claimed_by": instance,
        "claimed_at": now,
        "attempts": 1,
        "budget_minutes": draft.budget,
        "items": [i.to_json() for i in draft.items],
    }


def run_plans(rt: Runtime, *, now: datetime) -> PlanReport:
    """The plan half of a tick: schedule newcomers, queue due plans."""
    report = PlanReport()
    schedule_newcomers(rt, now=now, report=report)
    queue_due_plans(rt, now=now, report=report)
    return report


def schedule_newcomers(rt: Runtime, *, now: datetime, report: PlanReport) -> None:
    """A member row is created on first contact without a plan time: give it one."""
    with rt.db.transaction() as session:
        members = _readable(session, store.unscheduled_members(session=session, limit=BATCH))
        store.set_next_plan_at(
            session=session,
            changes=[((m.team_id, m.user_id), next_due(m, after=now)) for m in members],
        )
    report.scheduled += len(members)


def _readable(session: Session, members: list[Member]) -> list[Member]:
    """The members whose time zone can be read. The others' plans stop (loudly), so one bad
    row cannot hold back everyone batched with it, tick after tick; saving settings with a
    valid time zone turns them back on."""
    readable: list[Member] = []
    for m in members:
        if is_valid_tz(m.effective_tz):
            readable.append(m)
            continue
        store.stop_plans(session=session, team_id=m.team_id, user_id=m.user_id)
        log_event(
            logger,
            "plans.stopped_unknown_tz",
            logging.ERROR,
            team=m.team_id,
            user=m.user_id,
            tz=m.effective_tz,
        )
    return readable


def queue_due_plans(
    rt: Runtime, *, now: datetime, report: PlanReport | None = None, batch: int = BATCH
) -> PlanReport:
    report = report or PlanReport()
    while True:
        with rt.db.transaction() as session:
            members = store.due_members(session=session, now=now, limit=batch)
            _queue_batch(rt, session=session, members=members, now=now, report=report)
        if len(members) < batch:
            return report


def _queue_batch(
    rt: Runtime, *, session: Session, members: list[Member], now: datetime, report: PlanReport
) -> None:
    days: dict[store.Key, date] = {}
    overdue: list[Member] = []
    live: list[Member] = []
    members = _readable(session, members)
    for m in members:
        assert m.next_plan_at is not None  # due_members selects on it
        days[(m.team_id, m.user_id)] = local_date(m.next_plan_at, m.effective_tz)
        (overdue if now - m.next_plan_at > OVERDUE_AFTER else live).append(m)
    drafts = draft_plans(session=session, members=live, days=days)
    report.empty += len(live) - len(drafts)
    skips = [Draft(m, days[(m.team_id, m.user_id)], 0, ()) for m in overdue]
    won = store.claim_plans(
        session=session,
        rows=[
            *(
                plan_row(d, status=PlanStatus.claimed, instance=rt.instance, now=now)
                for d in drafts.values()
            ),
            *(plan_row(d, status=PlanStatus.skipped, instance=rt.instance, now=now) for d in skips),
        ],
    )
    entries = [
        message_entry(
            team_id=key[0],
            user_id=key[1],
            view=PlanView(won[key], d.plan_date, d.budget, d.items, frozenset()),
        )
        for key, d in drafts.items()
        if key in won
    ]
    outbox_store.enqueue_many(session=session, entries=entries, now=now)
    report.queued += len(entries)
    report.lost += len(drafts) - len(entries)
    for m in overdue:
        report.skipped += 1
        log_event(
            logger,
            "plan.skipped_overdue",
            logging.WARNING,
            team=m.team_id,
            user=m.user_id,
            due=m.next_plan_at,
        )
    # From the missed time, or from 4 h ago after an outage, so a plan due within the last
    # 4 hours still goes out (on a later batch) instead of being jumped over.
    store.set_next_plan_at(
        session=session,
        changes=[
            (
                (m.team_id, m.user_id),
                next_due(m, after=max(m.next_plan_at or now, now - OVERDUE_AFTER)),
            )
            for m in members
        ],
    )


def mark_delivered(rt: Runtime, *, now: datetime) -> int:
    with rt.db.transaction() as session:
        return store.mark_delivered(session=session, now=now)


def stop_plans_for(rt: Runtime, entry: Outbox, error: str) -> None:
    """Slack says this person cannot be reached (`error`, e.g. account_inactive): no more
    plans until they change settings."""
    with rt.db.transaction() as session:
        store.stop_plans(session=session, team_id=entry.team_id, user_id=entry.user_id)
        key = entry.message_key or ""
        if key.startswith(store.PLAN_KEY_PREFIX):
            store.mark_failed(
                session=session,
                plan_id=int(key.removeprefix(store.PLAN_KEY_PREFIX)),
                error=error,
            )
    log_event(
        logger,
        "plans.stopped",
        logging.WARNING,
        team=entry.team_id,
        user=entry.user_id,
        error=error,
    )
