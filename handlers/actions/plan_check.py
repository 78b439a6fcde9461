"""A tick or untick on the morning checklist DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.core.runtime import Runtime
from bot.rules.payloads import parse_plan_tick
from bot.services.plans import record_ticks, ticked_reply
from handlers.replies import ephemeral


def handle_plan_check(
    ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime, respond: Respond | None
) -> None:
    tick = parse_plan_tick(body)
    ack()
    team_id = context.team_id or ""
    record_ticks(
        rt,
        team_id=team_id,
        user_id=context.user_id or "",
        plan_id=tick.plan_id,
        group=tick.group,
        selected=tick.selected,
        # When the click happened, so two quick clicks arriving out of order settle right.
        now=tick.at,
    )
    reply = ticked_reply(rt, team_id=team_id, plan_id=tick.plan_id)
    if reply is not None and respond is not None and tick.response_url:
        ephemeral(respond, reply)
