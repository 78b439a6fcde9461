"""What goes on a rep's checklist for one day, and how far they got (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from operator import itemgetter
from typing import Any, Protocol

from bot.rules.capacity import Costed
from bot.rules.tiers import TIER_ORDER, TIER_RANK
from storage.enums import Cadence


class Plannable(Costed, Protocol):
    """What a checklist needs of an item (read-only, so frozen rows fit)."""

    @property
    def id(self) -> int: ...
    @property
    def title(self) -> str: ...
    @property
    def due(self) -> date | None: ...


@dataclass(frozen=True)
class PlanItem:
    """One line of a day's checklist, as frozen in the plan's snapshot."""

    id: int
    title: str
    tier: str
    minutes: int
    cadence: str
    due: date | None = None
    overdue: bool = False
    fits: bool = True  # False: beyond the day's time budget

    def to_json(self) -> dict[str, Any]:
        # Spelled out: dataclasses.asdict deep-copies, which dominates a morning's fan-out.
        return {
            "id": self.id,
            "title": self.title,
            "tier": self.tier,
            "minutes": self.minutes,
            "cadence": self.cadence,
            "due": self.due.isoformat() if self.due else None,
            "overdue": self.overdue,
            "fits": self.fits,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> PlanItem:
        due = data.get("due")
        return cls(**{**data, "due": date.fromisoformat(due) if due else None})


@dataclass(frozen=True)
class PlanView:
    """A day's plan as its checklist shows it: the frozen items and what is ticked."""

    plan_id: int
    plan_date: date
    budget_minutes: int
    items: tuple[PlanItem, ...]
    checked: frozenset[int]


class Planned(Protocol):
    """A stored plan, as an ORM entity or a row of its values."""

    @property
    def id(self) -> int | None: ...
    @property
    def plan_date(self) -> date: ...
    @property
    def budget_minutes(self) -> int: ...
    @property
    def items(self) -> list[dict[str, Any]]: ...


def plan_view(plan: Planned, checked: set[int]) -> PlanView:
    return PlanView(
        plan_id=plan.id or 0,
        plan_date=plan.plan_date,
        budget_minutes=plan.budget_minutes,
        items=tuple(PlanItem.from_json(i) for i in plan.items),
        checked=frozenset(checked),
    )


def daily_budget(capacity_minutes: int, workdays: int) -> int:
    """The day's share of the weekly capacity."""
    return capacity_minutes // workdays if workdays else 0


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


def choose_items(
    items: Iterable[Plannable], *, today: date, ticked_this_week: set[int], budget: int
) -> list[PlanItem]:
    """Daily items every day, weekly ones until ticked this week, one-offs until done; first
    priority first, overdue one-offs first within a tier, and whatever the budget cannot hold
    marked so."""
    # Each item's overdue flag is worked out once and the sort key built by hand, not by a
    # lambda calling back: this runs for every item of every plan of a morning.
    picked = sorted(
        (
            (TIER_RANK[i.tier], not overdue, i.due or date.max, i.id, overdue, i)
            for i in items
            if not (i.cadence == Cadence.weekly and i.id in ticked_this_week)
            for overdue in (_overdue(i, today),)
        ),
        key=itemgetter(slice(4)),
    )
    chosen: list[PlanItem] = []
    used = 0
    for *_, overdue, i in picked:
        used += i.minutes
        chosen.append(
            PlanItem(
                id=i.id,
                title=i.title,
                tier=str(i.tier),
                minutes=i.minutes,
                cadence=str(i.cadence),
                due=i.due,
                overdue=overdue,
                fits=used <= budget,
            )
        )
    return chosen


def _overdue(item: Plannable, today: date) -> bool:
    return item.cadence == Cadence.once and item.due is not None and item.due < today


@dataclass(frozen=True)
class Progress:
    done: int
    total: int
    planned_minutes: int
    done_minutes: dict[str, int] = field(default_factory=dict)  # by tier

    @property
    def done_total_minutes(self) -> int:
        return sum(self.done_minutes.values())


_TIER_KEYS = tuple(str(tier) for tier in TIER_ORDER)


def progress_of(items: Iterable[PlanItem], checked: set[int]) -> Progress:
    # One pass over the items: every morning checklist shows its progress line.
    done_minutes = dict.fromkeys(_TIER_KEYS, 0)
    done = total = planned = 0
    for i in items:
        total += 1
        planned += i.minutes
        if i.id in checked:
            done += 1
            done_minutes[i.tier] += i.minutes
    return Progress(done=done, total=total, planned_minutes=planned, done_minutes=done_minutes)
