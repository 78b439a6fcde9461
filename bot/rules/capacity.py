"""A rep's committed time per week by tier, and what each decision would do to it (pure)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import Protocol

from bot.core.errors import InvalidInput
from bot.core.ids import Block
from bot.rules.parsing import format_minutes
from bot.rules.tiers import DECISION_TIER
from storage.enums import Cadence, Decision, Tier

# What one working day can hold: a daily item longer than this cannot be done every day.
DAY_MINUTES = 8 * 60


class Costed(Protocol):
    """Anything with a tier, an estimate and a cadence (read-only, so frozen rows and tables
    with enum-typed columns both fit)."""

    @property
    def tier(self) -> str: ...
    @property
    def minutes(self) -> int: ...
    @property
    def cadence(self) -> str: ...


def weekly_minutes(minutes: int, cadence: str, workdays: int) -> int:
    """Daily work recurs on each workday; weekly and one-off work costs its estimate once."""
    return minutes * workdays if cadence == Cadence.daily else minutes


@dataclass(frozen=True)
class Load:
    first: int = 0
    second: int = 0
    outside: int = 0
    capacity: int = 0

    @property
    def total(self) -> int:
        return self.first + self.second + self.outside

    @property
    def selling_share(self) -> float:
        """First-priority (selling) minutes as a share of committed minutes."""
        return self.first / self.total if self.total else 0.0

    @property
    def committed_share(self) -> float:
        """Committed minutes as a share of capacity."""
        return self.total / self.capacity if self.capacity else 0.0

    @property
    def over_capacity(self) -> bool:
        return self.total > self.capacity

    @property
    def overflow(self) -> int:
        """Committed minutes past capacity (0 when within it)."""
        return max(0, self.total - self.capacity)

    def of(self, tier: str) -> int:
        return int(getattr(self, Tier(tier).value))

    def plus(self, tier: str, minutes: int) -> Load:
        return replace(self, **{Tier(tier).value: self.of(tier) + minutes})

    @classmethod
    def summed(cls, minutes: Iterable[tuple[str, int]], *, capacity: int = 0) -> Load:
        """(tier, minutes) pairs added up: one Load built, not one per pair (Homes and
        reports sum hundreds of items)."""
        by_tier = dict.fromkeys(Tier, 0)
        for tier, count in minutes:
            by_tier[Tier(tier)] += count
        return cls(capacity=capacity, **{tier.value: count for tier, count in by_tier.items()})


def load_of(items: Iterable[Costed], *, capacity: int, workdays: int) -> Load:
    return Load.summed(
        ((item.tier, weekly_minutes(item.minutes, item.cadence, workdays)) for item in items),
        capacity=capacity,
    )


def impact(load: Load, *, minutes: int, cadence: str, workdays: int) -> dict[Decision, Load]:
    """The rep's week after each possible decision (a one-off is done once, whatever the
    cadence asked for)."""
    after: dict[Decision, Load] = {}
    for decision, tier in DECISION_TIER.items():
        if tier is None:
            after[decision] = load
            continue
        effective = Cadence.once if decision == Decision.one_off else cadence
        after[decision] = load.plus(tier, weekly_minutes(minutes, effective, workdays))
    return after


def refuse_estimate(*, minutes: int, cadence: str, capacity: int, whose: str) -> None:
    """Estimates no week can hold are refused, naming the limit: a daily item over a working
    day, a weekly item over the owner's weekly capacity (`whose`: "your", "Rob's")."""
    if cadence == Cadence.daily and minutes > DAY_MINUTES:
        raise InvalidInput(
            f"A daily item can take at most {format_minutes(DAY_MINUTES)} a day "
            f"(got {format_minutes(minutes)}): split it, or make it weekly, "
            f"e.g. `{format_minutes(minutes)} weekly`.",
            field=Block.duration,
        )
    if cadence == Cadence.weekly and minutes > capacity:
        raise InvalidInput(
            f"A weekly item can take at most {whose} weekly capacity of "
            f"{format_minutes(capacity)} (got {format_minutes(minutes)}): split it into "
            f"smaller items, e.g. `{format_minutes(capacity // 2)} weekly`.",
            field=Block.duration,
        )
