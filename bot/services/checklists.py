"""A day's checklist drafted for a rep: shared by `/aor plan` and the morning fan-out.

Drafting reads the rep's items and this week's ticks; the plan row and its DM's outbox row are
written by the caller in its own transaction."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlmodel import Session

from bot.render.checklist import build_checklist
from bot.rules.day_plan import PlanItem, PlanView, choose_items, daily_budget, week_start
from storage import plans as store
from storage.enums import OutboxKind, PlanStatus
from storage.models import Member


@dataclass(frozen=True)
class Draft:
    member: Member
    plan_date: date
    budget: int
    items: tuple[PlanItem, ...]


def message_entry(*, team_id: str, user_id: str, view: PlanView) -> dict[str, Any]:
    """An outbox row for the plan's DM (posted first, updated in place after)."""
    return {
        "team_id": team_id,
        "kind": OutboxKind.message,
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
