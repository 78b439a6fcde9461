"""The morning checklist DM as Block Kit (pure): items by tier as checkboxes, the day's time
budget, and progress. At most 10 options per checkboxes element and 50 blocks per message:
long tiers are split, and what still does not fit is summarised with a pointer to App Home."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from bot.core.ids import plan_check_action_id, plan_check_block_id
from bot.core.text import truncate
from bot.render.blocks import context
from bot.render.words import plural, with_split
from bot.rules.day_plan import PlanItem, PlanView, progress_of
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIER_ORDER, words
from storage.enums import Cadence

MAX_BLOCKS = 50
OPTIONS_PER_GROUP = 10
OPTION_TEXT = 75


@dataclass(frozen=True)
class Group:
    """One checkboxes element: up to ten items of one tier."""

    index: int
    tier: str
    items: tuple[PlanItem, ...]


def checkbox_groups(items: Sequence[PlanItem]) -> list[Group]:
    """The plan's items cut into checkboxes elements; the tick handler cuts the same way."""
    groups: list[Group] = []
    for tier in TIER_ORDER:
        rows = [i for i in items if i.tier == tier]
        for start in range(0, len(rows), OPTIONS_PER_GROUP):
            chunk = tuple(rows[start : start + OPTIONS_PER_GROUP])
            groups.append(Group(index=len(groups), tier=tier, items=chunk))
    return groups


@cache  # a morning's plans share a handful of days
def _day(d: date) -> str:
    return f"{d:%A} {d.day} {d:%B}"


def _option(item: PlanItem) -> dict[str, Any]:
    # Built by concatenation, not a list joined: this runs for every item of every plan.
    estimate = f" · {format_minutes(item.minutes)}"
    notes = item.cadence if item.cadence != Cadence.once else "one-off"
    if item.due is not None:
        notes += (
            f" · OVERDUE, was due {item.due.isoformat()}" if item.overdue else f" · due {item.due}"
        )
    if not item.fits:
        notes += " · does not fit today's budget"
    return {
        "text": {
            "type": "plain_text",
            "text": truncate(item.title, OPTION_TEXT - len(estimate)) + estimate,
        },
        "description": {"type": "plain_text", "text": truncate(notes, OPTION_TEXT)},
        "value": str(item.id),
    }


def _checkboxes(view: PlanView, group: Group) -> dict[str, Any]:
    options = [_option(i) for i in group.items]
    element: dict[str, Any] = {
        "type": "checkboxes",
        "action_id": plan_check_action_id(view.plan_id, group.index),
        "options": options,
    }
    # A new plan has nothing ticked: skip looking (every plan of a morning is new).
    ticked = view.checked and [
        o for o, i in zip(options, group.items, strict=True) if i.id in view.checked
    ]
    if ticked:
        element["initial_options"] = ticked
    return {
        "type": "actions",
        "block_id": plan_check_block_id(view.plan_id, group.index),
        "elements": [element],
    }


def _heading(tier: str) -> str:
    t = words(tier)
    return f"*{t.name}*: {t.checklist_description}"


def _section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def progress_line(view: PlanView) -> str:
    p = progress_of(view.items, set(view.checked))
    if not p.done_total_minutes:
        return f"*Done {p.done}/{p.total}*"
    done = with_split(p.done_total_minutes, lambda t: p.done_minutes.get(t, 0))
    return f"*Done {p.done}/{p.total}*: {done}"


def budget_line(view: PlanView) -> str:
    planned = sum(i.minutes for i in view.items)
    line = (
        f"*Time budget:* {format_minutes(planned)} planned of "
        f"{format_minutes(view.budget_minutes)} available today"
    )
    if planned > view.budget_minutes:
        line += f" (over by {format_minutes(planned - view.budget_minutes)}: marked items wait)"
    return line


def build_checklist(view: PlanView) -> dict[str, Any]:
    """`text` and `blocks` for chat.postMessage / chat.update."""
    title = f"Your plan for {_day(view.plan_date)}"
    head = [
        {"type": "header", "text": {"type": "plain_text", "text": title}},
        _section(budget_line(view)),
        context(progress_line(view)),
    ]
    body: list[dict[str, Any]] = []
    room = MAX_BLOCKS - len(head) - 1  # one block kept for the "…and N more" line
    left_out: list[PlanItem] = []
    tier = None
    for group in checkbox_groups(view.items):
        needed = 1 + (group.tier != tier)
        if left_out or needed > room:
            left_out.extend(group.items)
            continue
        if group.tier != tier:
            body.append(_section(_heading(group.tier)))
            tier = group.tier
        body.append(_checkboxes(view, group))
        room -= needed
    if left_out:
        minutes = format_minutes(sum(i.minutes for i in left_out))
        body.append(
            _section(
                f"…and {plural(len(left_out), 'more item')} ({minutes}) that do not fit in one "
                "message: "
                "your App Home tab lists your whole AOR."
            )
        )
    if not view.items:
        body.append(_section("Nothing on your AOR for today."))
    planned = format_minutes(sum(i.minutes for i in view.items))
    text = f"{title}: {plural(len(view.items), 'item')}, {planned} planned."
    return {"text": text, "blocks": [*head, *body]}
