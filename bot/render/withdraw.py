"""The requester's side of a request: the withdraw button on their confirmation and in
`/aor pending`, and what a withdrawal says (pure)."""

from __future__ import annotations

from typing import Any

from bot.core.ids import Action, decide_value, withdraw_block_id
from bot.core.text import mention
from bot.render.assignment import AssignmentView, task_line
from bot.render.blocks import context
from bot.render.pending import build_pending, stalled_blocks

WITHDRAW_TEXT = "Withdraw request"
MAX_BLOCKS = 50  # a message's limit


def withdraw_actions(assignment_id: int) -> dict[str, Any]:
    return {
        "type": "actions",
        "block_id": withdraw_block_id(assignment_id),
        "elements": [
            {
                "type": "button",
                "action_id": Action.withdraw,
                "text": {"type": "plain_text", "text": WITHDRAW_TEXT},
                "value": decide_value(assignment_id),
                "confirm": {
                    "title": {"type": "plain_text", "text": "Withdraw this request?"},
                    "text": {"type": "plain_text", "text": "Nobody will need to decide it."},
                    "confirm": {"type": "plain_text", "text": "Withdraw"},
                    "deny": {"type": "plain_text", "text": "Keep it"},
                },
            }
        ],
    }


def with_withdraw(text: str, a: AssignmentView) -> dict[str, Any]:
    """The requester's confirmation, with the button while the request waits (not when it is
    theirs to decide: they would decline it instead)."""
    blocks: list[dict[str, Any]] = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
    if a.status == "pending" and a.requested_by != a.approver_id:
        blocks.append(withdraw_actions(a.id))
    return {"text": text, "blocks": blocks}


def asked_blocks(asked: list[AssignmentView], *, room: int = MAX_BLOCKS) -> list[dict[str, Any]]:
    """The requests the person asked for that still wait, each with its withdraw button, in
    at most `room` blocks (a header, two blocks each, and a line for the rest)."""
    if not asked:
        return []
    shown = max((room - 2) // 2, 0)
    blocks: list[dict[str, Any]] = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": f"You asked for ({len(asked)})"},
        }
    ]
    for a in asked[:shown]:
        line = f"{task_line(a)} for {mention(a.rep_id)}, waiting on {mention(a.approver_id)}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line}})
        blocks.append(withdraw_actions(a.id))
    if len(asked) > shown:
        more = f"…and {len(asked) - shown} more."
        blocks.append(context(more))
    return blocks


def build_pending_and_asked(
    queue: list[AssignmentView],
    asked: list[AssignmentView],
    stalled: list[AssignmentView] | None = None,
) -> dict[str, Any]:
    """`/aor pending`: what waits on the person's decision, what stalled in the workspace (for
    an admin), then what they asked for."""
    stalled = stalled or []
    message = build_pending(queue)
    if not asked and not stalled:
        return message
    # Without a queue, "nothing waits on you" would read as if nothing were pending at all.
    blocks = list(message["blocks"]) if queue else []
    room = MAX_BLOCKS - len(blocks)
    blocks += stalled_blocks(stalled, room=room // 2 if asked else room)
    blocks += asked_blocks(asked, room=MAX_BLOCKS - len(blocks))
    if queue:
        text = message["text"]
    elif stalled:
        text = f"{_requests(len(stalled))} stalled in the workspace"
    else:
        text = f"You asked for {_requests(len(asked))} still waiting"
    return {"text": text, "blocks": blocks}


def _requests(n: int) -> str:
    return "1 request" if n == 1 else f"{n} requests"
