"""The AOR document as Block Kit (pure)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from bot.core.ids import Action, ItemMenu, item_menu_value
from bot.core.text import TITLE_CHARS, clip, mention, truncate
from bot.render.capacity import over_note
from bot.render.position import PositionView, position_blocks
from bot.render.words import PLANNED_SHARE, plural
from bot.rules.capacity import Load
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIERS
from storage.enums import Origin

SECTION_CHARS = 2900  # under Slack's 3000 per section text, with room for a "more" line


@dataclass(frozen=True)
class ItemRow:
    id: int
    title: str
    tier: str
    minutes: int
    cadence: str
    due: date | None
    origin: str
    requested_by: str | None
    since: datetime
    since_day: date  # `since` as a date where the owner works
    weekly: int


@dataclass(frozen=True)
class PendingRow:
    id: int
    title: str
    minutes: int
    cadence: str
    approver_id: str
    requested_by: str


@dataclass(frozen=True)
class AorDoc:
    rep_id: str
    rep_name: str
    load: Load
    items: tuple[ItemRow, ...]
    pending: tuple[PendingRow, ...]
    position: PositionView | None = None


def load_line(load: Load) -> str:
    if not load.total:
        return f"Nothing committed yet: {format_minutes(load.capacity)} a week available."
    share = load.committed_share
    bar_len = 20
    filled = min(bar_len, round(share * bar_len))
    bar = "█" * filled + "░" * (bar_len - filled)
    return (
        f"`{bar}` {format_minutes(load.total)} of {format_minutes(load.capacity)} a week "
        f"({share:.0%}){over_note(load)} · {PLANNED_SHARE} *{load.selling_share:.0%}*"
    )


def item_line(item: ItemRow) -> str:
    origin = (
        f" · assigned by {mention(item.requested_by)}"
        if item.origin == Origin.assignment and item.requested_by
        else " · role"
    )
    due = f" · due {item.due.isoformat()}" if item.due else ""
    weekly = f" ({format_minutes(item.weekly)}/wk)" if item.weekly != item.minutes else ""
    return (
        f"• *{clip(item.title, TITLE_CHARS)}*: {format_minutes(item.minutes)} "
        f"{item.cadence}{weekly}{due} · since {item.since_day.isoformat()}{origin}"
    )


def pending_line(row: PendingRow) -> str:
    waiting = (
        "who decides it"
        if row.requested_by == row.approver_id
        else f"waiting on {mention(row.approver_id)}"
    )
    return (
        f"• *{clip(row.title, TITLE_CHARS)}* ({format_minutes(row.minutes)} {row.cadence}) "
        f"from {mention(row.requested_by)}, {waiting}"
    )


def text_sections(lines: list[str]) -> list[dict[str, Any]]:
    """Lines packed into as few sections as fit Slack's text limit."""
    sections: list[dict[str, Any]] = []
    chunk = ""
    for line in lines:
        if chunk and len(chunk) + len(line) + 1 > SECTION_CHARS:
            sections.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
            chunk = ""
        chunk = f"{chunk}\n{line}" if chunk else line
    if chunk:
        sections.append({"type": "section", "text": {"type": "mrkdwn", "text": chunk}})
    return sections


def doc_blocks(doc: AorDoc, *, max_blocks: int = 45) -> list[dict[str, Any]]:
    """The document as compact text sections (for /aor doc: one message, <= 50 blocks)."""
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": truncate(f"AOR: {doc.rep_name or 'unnamed member'}", 150),
            },
        },
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": f"{mention(doc.rep_id)}\n{load_line(doc.load)}"},
        },
    ]
    for t in TIERS:
        rows = [i for i in doc.items if i.tier == t.tier]
        minutes = format_minutes(doc.load.of(t.tier))
        blocks.append({"type": "divider"})
        if rows:
            header = f"*{t.title}* ({plural(len(rows), 'item')}, {minutes} a week)"
            lines = [header, *(item_line(i) for i in rows)]
        else:
            lines = [f"*{t.title}*", "_nothing yet_"]
        blocks.extend(text_sections(lines))
    if doc.pending:
        blocks.append({"type": "divider"})
        lines = ["*Waiting for a decision*", *(pending_line(p) for p in doc.pending)]
        blocks.extend(text_sections(lines))
    if doc.position is not None:
        # Kept whole: the items before it are what is cut when the message is full.
        position = position_blocks(doc.position)
        blocks = fit_blocks(blocks, max_blocks - len(position), "The rest: `/aor export`.")
        return [*blocks, *position]
    return fit_blocks(blocks, max_blocks, "The rest is in the export: `/aor export`.")


def fit_blocks(blocks: list[dict[str, Any]], limit: int, hint: str) -> list[dict[str, Any]]:
    """At most `limit` blocks; when cut, the last says how much was left out and where to look."""
    if len(blocks) <= limit:
        return blocks
    kept = blocks[: limit - 1]
    left = len(blocks) - len(kept)
    kept.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"…and {left} more sections. {hint}"}],
        }
    )
    return kept


def item_menu(item_id: int) -> dict[str, Any]:
    """Edit / retire, as an overflow menu beside an item in App Home."""
    return {
        "type": "overflow",
        "action_id": Action.item_menu,
        "options": [
            {
                "text": {"type": "plain_text", "text": "Edit"},
                "value": item_menu_value(ItemMenu.edit, item_id),
            },
            {
                "text": {"type": "plain_text", "text": "Retire"},
                "value": item_menu_value(ItemMenu.retire, item_id),
            },
        ],
    }
