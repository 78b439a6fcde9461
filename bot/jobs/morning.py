"""The morning fan-out, run by every scheduler tick.

Due members are taken in batches (on PostgreSQL with SKIP LOCKED, so several schedulers split
the load). In one transaction per batch each day's `DailyPlan` is claimed by insert (the unique
key lets exactly one process win), its DM is queued in the outbox, and `next_plan_at` moves to the
next local workday. Delivery is the outbox's job; a plan becomes `sent` once its DM is delivered.

So a claimed plan always has its DM queued: the one crash window is an outbox entry claimed
for sending and not yet sent. Its lease (`bot.delivery.outbox.LEASE`) keeps other processes off
it until it runs out; then any tick's outbox drain sends it."""

from __future__ import annotations

import gc
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session

from bot.core.clock import is_valid_tz, local_date
from bot.core.logs import log_event
from bot.core.runtime import Runtime
from bot.rules.day_plan import PlanView
from bot.rules.holidays import effective_calendar, holiday_on
from bot.rules.schedule import next_due
from bot.services.checklists import Draft, draft_plans, message_entry, plan_row
from storage import outbox as outbox_store
from storage import plans as store
from storage import team_settings as team_store
from storage.enums import PlanStatus
from storage.models import Member

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
    holiday: int = 0  # a public holiday of the member's calendar: no DM
    delivered: int = 0  # plans marked sent


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
        with _collector_paused(), rt.db.transaction() as session:
            members = store.due_members(session=session, now=now, limit=batch)
            _queue_batch(rt, session=session, members=members, now=now, report=report)
        if len(members) < batch:
            return report


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Python's cyclic garbage collector held off for one batch. A batch builds about a million
    objects (every DM's blocks) and keeps them until it commits; the collector, triggered by
    allocations, scanned them again and again: a third of the pass's CPU. Nothing in a batch
    depends on cycles being collected, and the next collection after it frees what it left.
    The switch is process-wide: other threads' cycles wait too, for the batch's second or so."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


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
    resting = _on_holiday(session, live, days)
    report.holiday += len(resting)
    live = [m for m in live if (m.team_id, m.user_id) not in resting]
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


def _on_holiday(
    session: Session, members: list[Member], days: dict[store.Key, date]
) -> set[store.Key]:
    """The members whose plan day is a public holiday of their calendar (or their team's)."""
    defaults = team_store.holiday_calendars(session=session, team_ids=(m.team_id for m in members))
    return {
        (m.team_id, m.user_id)
        for m in members
        if holiday_on(
            effective_calendar(m.holiday_calendar, defaults.get(m.team_id)),
            days[(m.team_id, m.user_id)],
        )
        is not None
    }


def mark_plans_delivered(rt: Runtime, *, now: datetime) -> int:
    with rt.db.transaction() as session:
        return store.mark_delivered(session=session, now=now)
