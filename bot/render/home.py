"""App Home as Block Kit (pure): who you are, your AOR by tier, the approval queue, the team."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.core.ids import Action, decide_block_id
from bot.core.text import escape, mention
from bot.render.assignment import AssignmentView, decision_buttons, task_line
from bot.render.doc import AorDoc, item_line, item_menu, load_line, pending_line, text_sections
from bot.render.position import position_blocks
from bot.render.words import DONE_SHARE, PLANNED_SHARE, asker, plural, with_split
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
    """Who you are, then, for anyone who decides, the approval queue and the team first; your
    own AOR by tier (each item editable) and requests waiting on a decision come after, and for
    a manager only when they have an AOR of their own. At most 100 blocks: long lists are
    summarised with a pointer to `/aor doc` or `/aor pending`."""
    manages = bool(data.approvals or data.team)
    own = not manages or bool(data.doc.items or data.doc.pending or data.today)
    role = "admin" if data.is_admin else ("manager" if manages else "member")
    lines = [f"*{escape(data.name) or 'You'}* · {role} · time zone {escape(data.tz)}"]
    if data.manager_id:
        lines.append(f"Your manager of record: {mention(data.manager_id)}")
    elif not manages:
        lines.append("No manager of record yet: `/aor set-manager @you @manager` sets one.")
    head: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {
                "type": "plain_text",
                "text": "Your team" if manages else "Your Area of Responsibility",
            },
        },
        _section("\n".join(lines)),
        {
            "type": "actions",
            "elements": [
                _button("Add responsibility", Action.open_add_item, "primary"),
                _button("Settings", Action.open_settings),
                _button("Today's plan", Action.send_plan),
            ],
        },
    ]
    tail: list[dict[str, Any]] = [
        {"type": "divider"},
        _section("`/aor help` lists every command. `/aor doc` shows your AOR as a message."),
    ]
    approvals = [*_approval_blocks(data.approvals, data.user_id), *_team_blocks(data.team)]
    if not own:
        return {"type": "home", "blocks": [*head, *approvals, *tail]}
    mine: list[dict[str, Any]] = []
    if manages:
        mine = [{"type": "divider"}, _section("*Your own Area of Responsibility*")]
    mine.append(_section(load_line(data.doc.load)))
    if data.today is not None:
        mine.append(_section(_today_line(data.today)))
    pending = _pending_blocks(data.doc)
    position = position_blocks(data.doc.position) if data.doc.position is not None else []
    fixed = len(head) + len(tail) + len(approvals) + len(mine) + len(pending) + len(position)
    items = _item_blocks(data.doc, MAX_BLOCKS - fixed)
    blocks = [*head, *approvals, *mine, *items, *pending, *position, *tail]
    return {"type": "home", "blocks": blocks}


def _approval_blocks(approvals: tuple[AssignmentView, ...], reader: str) -> list[dict[str, Any]]:
    if not approvals:
        return []
    blocks: list[dict[str, Any]] = [
        {"type": "divider"},
        _section(f"*Waiting on your decision* ({len(approvals)})"),
    ]
    for a in approvals[:MAX_APPROVALS]:
        blocks.append(
            _section(f"{asker(a.requested_by, reader)} {mention(a.rep_id)}: {task_line(a)}")
        )
        blocks.append(decision_buttons(a.id, block_id=decide_block_id(a.id)))
    if len(approvals) > MAX_APPROVALS:
        blocks.append(
            _section(f"…and {len(approvals) - MAX_APPROVALS} more: `/aor pending` lists them all.")
        )
    return blocks


def _today_line(today: Progress) -> str:
    planned = format_minutes(today.planned_minutes)
    if not today.done_total_minutes:
        return f"*Today*: {today.done}/{today.total} done, {planned} planned"
    done = with_split(today.done_total_minutes, lambda t: today.done_minutes.get(t, 0))
    return f"*Today*: {today.done}/{today.total} done, {done} of {planned} planned"


def team_row_line(row: TeamRow) -> str:
    """One rep: committed hours, both selling shares (each named), outside work accepted."""
    load = row.load
    parts = [
        f"{format_minutes(load.total)} of {format_minutes(load.capacity)} committed"
        if load.total
        else "nothing committed yet"
    ]
    if load.total:
        parts.append(f"{PLANNED_SHARE} {load.selling_share:.0%}")
    if row.selling_share is not None:
        parts.append(f"{DONE_SHARE} this week {row.selling_share:.0%}")
    if row.outside_month:
        parts.append(f"outside-role work accepted this month {format_minutes(row.outside_month)}")
    return f"• {mention(row.user_id)}: {' · '.join(parts)}"


def _team_blocks(team: tuple[TeamRow, ...]) -> list[dict[str, Any]]:
    """The team table as text rows (one section per 20 reps keeps it inside the limits)."""
    if not team:
        return []
    rows = [f"*Your team* ({plural(len(team), 'rep')})", *map(team_row_line, team)]
    return [{"type": "divider"}, *text_sections(rows)]


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
