"""A decision button on an approval message, the App Home queue or `/aor pending`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.core.ids import Block, parse_decide
from bot.core.runtime import Runtime
from bot.render.assignment import outcome_text, view_of
from bot.services.assignments import decide


def handle_decide(
    ack: Ack,
    body: dict[str, Any],
    action: dict[str, Any],
    context: BoltContext,
    rt: Runtime,
    respond: Respond,
) -> None:
    ack()
    assignment_id, decision = parse_decide(action["action_id"], action.get("value", ""))
    note_input = body.get("state", {}).get("values", {}).get(Block.note, {}).get(Block.note, {})
    assignment = decide(
        rt,
        team_id=context.team_id or "",
        actor_id=context.user_id or "",
        assignment_id=assignment_id,
        decision=decision,
        note=note_input.get("value"),
    )
    if body.get("container", {}).get("is_ephemeral"):
        # The /aor pending list is not one of the tracked messages: answer beside it.
        respond(
            text=outcome_text(view_of(assignment)),
            response_type="ephemeral",
            replace_original=False,
        )
