"""Small wording helpers every message shares (pure): plurals, per-tier figures without zero
filler, and the two selling shares, each always named for what it measures (STYLE "Copy")."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.core.text import mention
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIERS

# One word, one meaning: committed hours (the AOR) vs ticked time (the checklists).
PLANNED_SHARE = "planned selling share"
DONE_SHARE = "done selling share"


def plural(count: int, one: str, many: str | None = None) -> str:
    """`1 rep`, `2 reps`, `0 reps`."""
    return f"{count} {one if count == 1 else (many or one + 's')}"


def tier_split(minutes_of: Callable[[str], int]) -> str:
    """`first 3h · second 1h`: only the tiers that have time; "" when none has."""
    return " · ".join(
        f"{t.short} {format_minutes(minutes_of(t.tier))}" for t in TIERS if minutes_of(t.tier)
    )


def split_note(minutes_of: Callable[[str], int]) -> str:
    """` (first 3h · second 1h)`, ` (all first)` when one tier holds it all, "" when none."""
    shown = [t for t in TIERS if minutes_of(t.tier)]
    if len(shown) == 1:
        return f" (all {shown[0].short})"
    return f" ({tier_split(minutes_of)})" if shown else ""


def with_split(total: int, minutes_of: Callable[[str], int]) -> str:
    """`4h (first 3h · second 1h)`, or `3h (all first)` when one tier holds it all."""
    return format_minutes(total) + split_note(minutes_of)


def asker(requested_by: str, reader: str) -> str:
    """Who asked, to the reader: "You asked", or "<@U1> asks"."""
    return "You asked" if requested_by == reader else f"{mention(requested_by)} asks"


def file_slug(name: str, fallback: str) -> str:
    """A person's name as a file name part ("Rob (sales rep)" -> "rob-sales-rep"): Slack shows
    a file's name beside it, so a name reads better than an id."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or fallback


def manager_set_text(*, rep_id: str, manager_id: str, reader: str) -> str:
    whose = "your" if rep_id == reader else f"{mention(rep_id)}'s"
    return f"{mention(manager_id)} is now {whose} manager of record."


def percent(part: int, whole: int) -> str:
    """`75%`, or `—` when there is nothing to divide by."""
    return f"{part / whole:.0%}" if whole else "—"
