"""The withdraw button on a requester's confirmation or in `/aor pending`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.core.runtime import Runtime
from bot.render.assignment import outcome_text, view_of
from bot.rules.payloads import parse_request_click
from bot.services.notices import tell
from bot.services.withdraw import withdraw
from handlers.replies import ephemeral


def handle_withdraw(
    ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime, respond: Respond | None
) -> None:
    assignment_id, click = parse_request_click(body)
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    assignment = withdraw(rt, team_id=team_id, actor_id=user_id, assignment_id=assignment_id)
    text = outcome_text(view_of(assignment), reader=user_id)
    if respond is not None and click.response_url:
        ephemeral(respond, text)
    else:
        tell(rt, team_id=team_id, user_id=user_id, text=text)
