"""A decision button on an approval message, the App Home queue or `/aor pending`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.rules.payloads import parse_decide_click
from bot.services.assignments import decide
from bot.services.notices import tell
from bot.services.outcomes import decided_reply
from handlers.replies import ephemeral


def handle_decide(
    ack: Ack,
    body: dict[str, Any],
    context: BoltContext,
    rt: Runtime,
    respond: Respond | None,
) -> None:
    click = parse_decide_click(body, note_block=Block.note)
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    assignment = decide(
        rt,
        team_id=team_id,
        actor_id=user_id,
        assignment_id=click.assignment_id,
        decision=click.decision,
        note=click.note,
    )
    reply = decided_reply(rt, assignment, in_list=click.in_ephemeral)
    if reply is None:
        return  # the message they clicked in shows the outcome
    if respond is not None and click.response_url:
        ephemeral(respond, reply)
    else:  # the App Home queue has no reply channel: the DM is where they look
        tell(rt, team_id=team_id, user_id=user_id, text=reply)
