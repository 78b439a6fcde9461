"""App Home as Block Kit (pure): who you are, your AOR by tier, the approval queue, the team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.ids import Action, decide_block_id
from bot.core.text import escape, mention
from bot.render.assignment import AssignmentView, decision_buttons, task_line
from bot.render.doc import AorDoc, item_line, item_menu, load_line, pending_line, text_sections
from bot.render.position import position_blocks
from bot.rules.capacity import Load
from bot.rules.day_plan import Progress
from bot.rules.parsing import format_minutes
from bot.rules.tiers import TIERS

MAX_BLOCKS = 100
MAX_APPROVALS = 10  # each takes two blocks; the rest are counted and left to /aor pending
MAX_PENDING = 20  # the rep's own requests: a few sections of text at most


@dataclass(frozen=True)
class TeamRow:
    """One rep in a manager's team table."""

    user_id: str
    load: Load
    done_first: int  # minutes ticked this week at first priority
    done_total: int
    outside_month: int  # one-off outside-role minutes accepted this month

    @property
    def selling_share(self) -> float | None:
        return self.done_first / self.done_total if self.done_total else None


@dataclass(frozen=True)
class HomeData:
    user_id: str
    name: str
    tz: str
    manager_id: str | None
    is_admin: bool
    doc: AorDoc
    approvals: tuple[AssignmentView, ...]
    today: Progress | None = None
    team: tuple[TeamRow, ...] = ()


def _section(text: str, accessory: dict[str, Any] | None = None) -> dict[str, Any]:
    block: dict[str, Any] = {"type": "section", "text": {"type": "mrkdwn", "text": text}}
    if accessory is not None:
        block["accessory"] = accessory
    return block


def _button(text: str, action_id: str, style: str | None = None) -> dict[str, Any]:
    button: dict[str, Any] = {
        "type": "button",
        "text": {"type": "plain_text", "text": text},
        "action_id": action_id,
    }
    if style:
        button["style"] = style
    return button


def build_home(data: HomeData) -> dict[str, Any]:
    """Who you are, your AOR by tier (each item editable), requests waiting on a decision,
    and, for anyone who decides, the approval queue. At most 100 blocks: long lists are
    summarised with a pointer to `/aor doc` or `/aor pending`."""
    role = "admin" if data.is_admin else ("manager" if data.approvals or data.team else "member")
    manager = (
        f"Manager of record: {mention(data.manager_id)}"
        if data.manager_id
        else "No manager of record yet: `/aor set-manager @you @manager` sets one."
    )
    head: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": "Your Area of Responsibility"}},
        _section(
            f"{mention(data.user_id)} ({escape(data.name)}, {role}) · time zone "
            f"{escape(data.tz)}\n{manager}\n{load_line(data.doc.load)}"
        ),
        {
            "type": "actions",
            "elements": [
                _button("Add responsibility", Action.open_add_item, "primary"),
                _button("Settings", Action.open_settings),
                _button("Today's plan", Action.send_plan),
            ],
        },
    ]
    if data.today is not None:
        head.append(_section(_today_line(data.today)))
    tail: list[dict[str, Any]] = [
        {"type": "divider"},
        _section("`/aor help` lists every command. `/aor doc` shows this document as a message."),
    ]
    approvals = [*_approval_blocks(data.approvals), *_team_blocks(data.team)]
    pending = _pending_blocks(data.doc)
    position = position_blocks(data.doc.position) if data.doc.position is not None else []
    budget = MAX_BLOCKS - len(head) - len(tail) - len(approvals) - len(pending) - len(position)
    items = _item_blocks(data.doc, budget)
    return {"type": "home", "blocks": [*head, *approvals, *items, *pending, *position, *tail]}


def _approval_blocks(approvals: tuple[AssignmentView, ...]) -> list[dict[str, Any]]:
    if not approvals:
        return []
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        _section(f"*Waiting on your decision* ({len(approvals)})"),
    ]
    for a in approvals[:MAX_APPROVALS]:
        blocks.append(
            _section(f"{mention(a.requested_by)} asks {mention(a.rep_id)}: {task_line(a)}")
        )
        blocks.append(decision_buttons(a.id, block_id=decide_block_id(a.id)))
    if len(approvals) > MAX_APPROVALS:
        blocks.append(
            _section(f"…and {len(approvals) - MAX_APPROVALS} more: `/aor pending` lists them all.")
        )
    return blocks


def _today_line(today: Progress) -> str:
    by_tier = " · ".join(
        f"{t.short} {format_minutes(today.done_minutes.get(t.tier, 0))}" for t in TIERS
    )
    return (
        f"*Today*: {today.done}/{today.total} done, {format_minutes(today.done_total_minutes)} of "
        f"{format_minutes(today.planned_minutes)} planned ({by_tier})"
    )


def _team_blocks(team: tuple[TeamRow, ...]) -> list[dict[str, Any]]:
    """The team table as text rows (one section per 20 reps keeps it inside the limits)."""
    if not team:
        return []
    rows = []
    for row in team:
        share = f"{row.selling_share:.0%}" if row.selling_share is not None else "no ticks yet"
        rows.append(
            f"• {mention(row.user_id)}: {format_minutes(row.load.total)} of "
            f"{format_minutes(row.load.capacity)} committed · selling share this week {share} · "
            f"outside-role accepted this month {format_minutes(row.outside_month)}"
        )
    return [{"type": "divider"}, *text_sections([f"*Your team* ({len(team)} reps)", *rows])]


def _pending_blocks(doc: AorDoc) -> list[dict[str, Any]]:
    if not doc.pending:
        return []
    lines = [pending_line(p) for p in doc.pending[:MAX_PENDING]]
    if len(doc.pending) > MAX_PENDING:
        lines.append(f"…and {len(doc.pending) - MAX_PENDING} more: `/aor doc` lists them all.")
    return [{"type": "divider"}, *text_sections(["*Your requests waiting for a decision*", *lines])]


def _item_blocks(doc: AorDoc, budget: int) -> list[dict[str, Any]]:
    """One section per item (with its edit/retire menu) while the budget lasts; then one
    summary line per tier for what did not fit."""
    tiers = [(t.title, [i for i in doc.items if i.tier == t.tier]) for t in TIERS]
    fixed = 2 * len(tiers)  # a divider and a heading per tier
    room = max(budget - fixed - len(tiers), 0)  # keep one line per tier for "…and N more"
    blocks: list[dict[str, Any]] = []
    for title, rows in tiers:
        blocks.append({"type": "divider"})
        blocks.append(_section(f"*{title}* ({len(rows)})" if rows else f"*{title}*\n_nothing yet_"))
        shown = rows[:room]
        room -= len(shown)
        blocks.extend(_section(item_line(i), item_menu(i.id)) for i in shown)
        if len(rows) > len(shown):
            blocks.append(
                _section(
                    f"…and {len(rows) - len(shown)} more in this tier: `/aor doc` or `/aor export`."
                )
            )
    return blocks
