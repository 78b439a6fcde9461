"""A tick or untick on the morning checklist DM."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.ids import parse_plan_check_action_id
from bot.core.runtime import Runtime
from bot.services.plans import record_ticks


def handle_plan_check(ack: Ack, action: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    ack()
    stamp = action.get("action_ts")
    plan_id, group = parse_plan_check_action_id(action["action_id"])
    record_ticks(
        rt,
        team_id=context.team_id or "",
        user_id=context.user_id or "",
        plan_id=plan_id,
        group=group,
        selected=[o["value"] for o in action.get("selected_options") or []],
        # When the click happened, so two quick clicks arriving out of order settle right.
        now=datetime.fromtimestamp(float(stamp), UTC) if stamp else None,
    )
