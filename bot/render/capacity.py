"""How over-commitment is said, the same wherever a load is shown (pure)."""

from __future__ import annotations

from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes


def nothing_committed(load: Load) -> str:
    """An empty week said as such, not as "0m of 40h"."""
    return f"nothing committed yet, {format_minutes(load.capacity)} available"


def over_note(load: Load) -> str:
    """` :warning: over capacity by 5h` when the load passes capacity, else nothing."""
    if not load.over_capacity:
        return ""
    return f" :warning: over capacity by {format_minutes(load.overflow)}"


def over_sentence(load: Load, *, whose: str) -> str:
    """A plain sentence for a reply: `whose` is "your" or "Rob's"; empty within capacity."""
    if not load.over_capacity:
        return ""
    return (
        f":warning: That puts {whose} week at {format_minutes(load.total)} of "
        f"{format_minutes(load.capacity)} capacity: {format_minutes(load.overflow)} over."
    )
