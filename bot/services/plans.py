"""The rep's own side of today's plan: `/aor plan` (today's checklist now) and ticks on it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.core.clock import local_date
from bot.core.errors import InvalidInput, NotAllowed, NotFound
from bot.core.runtime import Runtime
from bot.core.text import mention
from bot.render.checklist import build_checklist, checkbox_groups
from bot.render.words import plural
from bot.rules.day_plan import plan_view
from bot.services.checklists import draft_plans, plan_row
from bot.services.members import ensure_member
from bot.services.outcomes import state_after_commit
from storage import audit
from storage import items as item_store
from storage import outbox as outbox_store
from storage import plans as store
from storage.enums import Cadence, DeliveryState, ItemStatus, PlanStatus
from storage.models import DailyPlan, Member
from storage.types import utcnow

LIVE = (PlanStatus.claimed, PlanStatus.sent)  # a plan whose DM is out or on its way


@dataclass(frozen=True)
class SentPlan:
    plan_date: date
    items: int
    refreshed: bool  # today's plan existed already: its DM now shows the current state
    delivered: bool


def send_plan_now(
    rt: Runtime, *, team_id: str, user_id: str, now: datetime | None = None
) -> SentPlan | None:
    """Today's checklist as a DM now; None when there is nothing to plan today.

    Today's plan is claimed here if the scheduler has not yet, so the morning tick finds it
    taken and sends nothing more; an existing plan is brought up to date in place."""
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    now = now or utcnow()
    today = local_date(now, member.effective_tz)

    def queue(session: Session) -> tuple[DailyPlan, bool] | None:
        existing = store.get_plan(
            session=session, team_id=team_id, user_id=user_id, plan_date=today
        )
        refreshed = existing is not None and existing.status in LIVE
        usable = _usable_plan(
            rt, session=session, member=member, plan=existing, today=today, now=now
        )
        if usable is None:
            return None
        # Ticks lock the plan too: wait for one in flight and read its checks, so this DM is
        # never queued after (and so superseding) a fresher one.
        plan = store.lock_plan(session=session, plan_id=usable.id or 0)
        assert plan is not None  # plans are never deleted
        checked = store.checks_for(session=session, plan_ids=[plan.id or 0])[plan.id or 0]
        outbox_store.enqueue(
            session=session,
            team_id=team_id,
            user_id=user_id,
            payload=build_checklist(plan_view(plan, checked)),
            message_key=store.plan_key(plan.id or 0),
        )
        return plan, refreshed

    queued = rt.transact(queue)
    if queued is None:
        return None
    plan, refreshed = queued
    state = state_after_commit(rt, team_id=team_id, message_key=store.plan_key(plan.id or 0))
    return SentPlan(
        plan_date=today,
        items=len(plan.items),
        refreshed=refreshed,
        delivered=state == DeliveryState.landed,
    )


def _usable_plan(
    rt: Runtime,
    *,
    session: Session,
    member: Member,
    plan: DailyPlan | None,
    today: date,
    now: datetime,
) -> DailyPlan | None:
    if plan is not None and plan.status in LIVE:
        return plan
    key = (member.team_id, member.user_id)
    draft = draft_plans(session=session, members=[member], days={key: today}).get(key)
    if draft is None:
        return None
    row = plan_row(draft, status=PlanStatus.claimed, instance=rt.instance, now=now)
    if plan is None:
        # A tick racing us may win the insert; then its plan is the one we show.
        store.claim_plans(session=session, rows=[row])
        return store.get_plan(
            session=session, team_id=member.team_id, user_id=member.user_id, plan_date=today
        )
    # Skipped (the scheduler was down) or failed earlier: the rep asks for it after all.
    for name, value in row.items():
        setattr(plan, name, value)
    session.add(plan)
    session.flush()
    return plan


def record_ticks(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    plan_id: int,
    group: int,
    selected: Sequence[int],
    now: datetime | None = None,
) -> None:
    """A checkboxes change: diff it against the plan's ticks, record each tick and untick,
    mark one-off items done (or open again), and update the DM in place. `now` is when the
    click happened: Slack sends the element's whole selection each time, so a click older
    than one already recorded for the same element is stale and changes nothing."""
    now = now or utcnow()

    def record(session: Session) -> None:
        plan = store.lock_plan(session=session, plan_id=plan_id)
        if plan is None or plan.team_id != team_id:
            raise NotFound("That plan no longer exists.")
        if plan.user_id != user_id:
            raise NotAllowed(f"This is {mention(plan.user_id)}'s plan: only they can tick it.")
        view = plan_view(plan, store.checks_for(session=session, plan_ids=[plan_id])[plan_id])
        groups = checkbox_groups(view.items)
        if group >= len(groups):
            raise InvalidInput("That checklist is out of date: `/aor plan` shows today's.")
        in_group = {i.id: i for i in groups[group].items}
        latest = store.latest_check_at(session=session, plan_id=plan_id, item_ids=list(in_group))
        if latest is not None and latest > now:
            return
        wanted = set(selected) & in_group.keys()
        changes = {i: i in wanted for i in in_group if (i in wanted) != (i in view.checked)}
        if not changes:
            return
        store.record_checks(session=session, plan_id=plan_id, changes=changes, at=now)
        for item_id, checked in changes.items():
            if in_group[item_id].cadence == Cadence.once:
                _set_done(session, team_id=team_id, actor_id=user_id, item_id=item_id, done=checked)
        checked_now = (view.checked - changes.keys()) | {i for i, c in changes.items() if c}
        outbox_store.enqueue(
            session=session,
            team_id=team_id,
            user_id=user_id,
            payload=build_checklist(replace(view, checked=frozenset(checked_now))),
            message_key=store.plan_key(plan_id),
        )
        outbox_store.enqueue_homes(session=session, team_id=team_id, user_ids=[user_id])

    rt.transact(record)


def ticked_reply(rt: Runtime, *, team_id: str, plan_id: int) -> str | None:
    """What the person is told after a tick: nothing when the checklist shows it; else that
    it is saved and the checklist catches up (Slack did not take its update)."""
    update = state_after_commit(
        rt, team_id=team_id, message_key=store.plan_key(plan_id), newest=True
    )
    if update == DeliveryState.landed:
        return None
    return (
        "Saved. Your checklist will update shortly: Slack did not take the change yet."
        if update == DeliveryState.queued
        else "Saved, but Slack would not update your checklist: `/aor plan` shows it as it is."
    )


def _set_done(session: Session, *, team_id: str, actor_id: str, item_id: int, done: bool) -> None:
    """Ticking a one-off finishes it; unticking opens it again (audited either way)."""
    item = item_store.get(session=session, team_id=team_id, item_id=item_id)
    want, had = (
        (ItemStatus.done, ItemStatus.active) if done else (ItemStatus.active, ItemStatus.done)
    )
    if item is None or item.status != had:
        return
    at = utcnow()
    try:
        # Reopening can clash with an item of the same title added since: it then stays done.
        with session.begin_nested():
            item.status, item.done_at, item.updated_at = want, at if done else None, at
            session.add(item)
            session.flush()
    except IntegrityError:
        session.refresh(item)
        return
    audit.record(
        session=session,
        team_id=team_id,
        actor_id=actor_id,
        action="item.done" if done else "item.reopened",
        subject_type="item",
        subject_id=item_id,
        member_id=item.owner_id,
        before={"status": str(had)},
        after={"status": str(want)},
    )


def sent_plan_text(sent: SentPlan | None) -> str:
    """The answer to `/aor plan` (or the App Home button)."""
    if sent is None:
        return (
            "Nothing to plan today: your AOR has no items for today. "
            "`/aor add TITLE DURATION` adds one."
        )
    where = "is in your DM with me" if sent.delivered else "is queued (Slack did not take it yet)"
    verb = "brought up to date" if sent.refreshed else "sent"
    items = plural(sent.items, "item")
    return f"Your plan for {sent.plan_date:%A %-d %B} ({items}) {where}: {verb}."
