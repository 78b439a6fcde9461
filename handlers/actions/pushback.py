"""The Push back button on the rep's request DM: opens the push-back form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.runtime import Runtime
from bot.rules.payloads import parse_request_click
from bot.services.modals import open_modal
from bot.services.pushback import pushback_modal


def handle_pushback(ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    assignment_id, click = parse_request_click(body)
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    view = pushback_modal(rt, team_id=team_id, actor_id=user_id, assignment_id=assignment_id)
    open_modal(rt, team_id=team_id, trigger_id=click.trigger_id, view=view)
