"""App Home: gathering what a person should see and rendering it (rendering is pure)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlmodel import Session

from bot.assignment_messages import AssignmentView, decision_buttons, task_line, view_of
from bot.doc import TIER_TITLES, AorDoc, gather_doc, item_line, item_menu, load_line, pending_line
from bot.ids import Action
from bot.members import ensure_member, is_admin
from bot.outbox import KIND_HOME
from bot.runtime import Runtime
from bot.text import escape, mention
from storage import assignments as assignment_store
from storage import members as member_store
from storage import outbox
from storage.models import Member

MAX_BLOCKS = 100
MAX_APPROVALS = 10  # each takes two blocks; the rest are counted and left to /aor pending


@dataclass(frozen=True)
class HomeData:
    user_id: str
    name: str
    tz: str
    manager_id: str | None
    is_admin: bool
    doc: AorDoc
    approvals: tuple[AssignmentView, ...]


def gather_home(*, session: Session, rt: Runtime, member: Member) -> HomeData:
    approvals = assignment_store.pending_for_approver(
        session=session, team_id=member.team_id, approver_id=member.user_id
    )
    return HomeData(
        user_id=member.user_id,
        name=member.name,
        tz=member.effective_tz,
        manager_id=member.manager_id,
        is_admin=is_admin(rt, member),
        doc=gather_doc(session=session, member=member),
        approvals=tuple(view_of(a) for a in approvals),
    )


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
    role = "admin" if data.is_admin else ("manager" if data.approvals else "member")
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
            "elements": [_button("Add responsibility", Action.open_add_item, "primary")],
        },
    ]
    tail: list[dict[str, Any]] = [
        {"type": "divider"},
        _section("`/aor help` lists every command. `/aor doc` shows this document as a message."),
    ]
    approvals = _approval_blocks(data.approvals)
    pending = _pending_blocks(data.doc)
    budget = MAX_BLOCKS - len(head) - len(tail) - len(approvals) - len(pending)
    return {
        "type": "home",
        "blocks": [*head, *approvals, *_item_blocks(data.doc, budget), *pending, *tail],
    }


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
        blocks.append(decision_buttons(a.id, block_id=f"decide-{a.id}"))
    if len(approvals) > MAX_APPROVALS:
        blocks.append(
            _section(f"…and {len(approvals) - MAX_APPROVALS} more: `/aor pending` lists them all.")
        )
    return blocks


def _pending_blocks(doc: AorDoc) -> list[dict[str, Any]]:
    if not doc.pending:
        return []
    lines = "\n".join(pending_line(p) for p in doc.pending[:20])
    more = f"\n…and {len(doc.pending) - 20} more." if len(doc.pending) > 20 else ""
    return [{"type": "divider"}, _section(f"*Your requests waiting for a decision*\n{lines}{more}")]


def _item_blocks(doc: AorDoc, budget: int) -> list[dict[str, Any]]:
    """One section per item (with its edit/retire menu) while the budget lasts; then one
    summary line per tier for what did not fit."""
    tiers = [
        (title, [i for i in doc.items if i.tier == tier]) for tier, title in TIER_TITLES.items()
    ]
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


def publish_home(rt: Runtime, *, team_id: str, user_id: str) -> None:
    member = ensure_member(rt, team_id=team_id, user_id=user_id)
    with rt.db.transaction() as session:
        data = gather_home(session=session, rt=rt, member=member)
    rt.client.views_publish(user_id=user_id, view=build_home(data))


def enqueue_home(*, session: Session, rt: Runtime, team_id: str, user_ids: list[str]) -> list[int]:
    """Queue a fresh App Home for each person whose view a change affects."""
    ids: list[int] = []
    for member in member_store.get_members(
        session=session, team_id=team_id, user_ids=list(dict.fromkeys(user_ids))
    ).values():
        view = build_home(gather_home(session=session, rt=rt, member=member))
        entry = outbox.enqueue(
            session=session,
            team_id=team_id,
            kind=KIND_HOME,
            user_id=member.user_id,
            payload={"view": view},
            message_key=f"home:{member.user_id}",
        )
        ids.append(entry.id or 0)
    return ids
