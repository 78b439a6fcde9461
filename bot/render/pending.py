"""The approval queue as a message (pure)."""

from __future__ import annotations

from typing import Any

from bot.core.ids import decide_block_id
from bot.core.text import mention
from bot.render.assignment import AssignmentView, decision_buttons, task_line
from bot.render.blocks import context
from bot.render.words import asker, plural
from bot.rules.reminders import MAX_REMINDERS

MAX_SHOWN = 20  # two blocks each, under the 50-block message limit


def build_pending(queue: list[AssignmentView]) -> dict[str, Any]:
    if not queue:
        text = "Nothing is waiting on your decision."
        return {
            "text": text,
            "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": text}}],
        }
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Waiting on you ({len(queue)})"}}
    ]
    # The queue is the approver's own: anything they asked for themself reads "You asked".
    for a in queue[:MAX_SHOWN]:
        blocks.append(
            {
                "type": "section",
                "text": {
                    "type": "mrkdwn",
                    "text": f"{asker(a.requested_by, a.approver_id)} {mention(a.rep_id)}: "
                    f"{task_line(a)}",
                },
            }
        )
        blocks.append(decision_buttons(a.id, block_id=decide_block_id(a.id)))
    if len(queue) > MAX_SHOWN:
        blocks.append(context(f"…and {len(queue) - MAX_SHOWN} more; decide these first."))
    waiting = plural(len(queue), "request")
    verb = "waits" if len(queue) == 1 else "wait"
    return {"text": f"{waiting} {verb} on your decision", "blocks": blocks}


def stalled_blocks(stalled: list[AssignmentView], *, room: int) -> list[dict[str, Any]]:
    """For an admin: what still waits after its approver was reminded the most times, with the
    buttons (an admin may decide any request), in at most `room` blocks."""
    if not stalled or room < 4:
        return []
    shown = (room - 3) // 2
    blocks: list[dict[str, Any]] = [
        {"type": "header", "text": {"type": "plain_text", "text": f"Stalled ({len(stalled)})"}},
        context(
            f"Reminded {MAX_REMINDERS} times and still waiting. As an admin, you can decide "
            "for the approver."
        ),
    ]
    for a in stalled[:shown]:
        line = f"{mention(a.rep_id)}: {task_line(a)}, waiting on {mention(a.approver_id)}"
        blocks.append({"type": "section", "text": {"type": "mrkdwn", "text": line}})
        blocks.append(decision_buttons(a.id, block_id=decide_block_id(a.id)))
    if len(stalled) > shown:
        blocks.append(context(f"…and {len(stalled) - shown} more."))
    return blocks
