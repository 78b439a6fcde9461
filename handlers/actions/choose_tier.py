"""A tier button under `/aor add` without a tier: the person's choice, which is when the item
lands (or, outside the role, when their manager is asked)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext, Respond

from bot.core.runtime import Runtime
from bot.rules.payloads import parse_tier_click
from bot.services.notices import tell
from bot.services.outcomes import chosen_tier_reply
from bot.services.tier_choice import choose_tier
from handlers.replies import reply


def handle_choose_tier(
    ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime, respond: Respond | None
) -> None:
    tier, minutes, cadence, title, response_url = parse_tier_click(body)
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    saved = choose_tier(
        rt,
        team_id=team_id,
        user_id=user_id,
        tier=tier,
        title=title,
        minutes=minutes,
        cadence=cadence,
    )
    text = chosen_tier_reply(rt, saved)
    if respond is not None and response_url:
        # The question is replaced by its answer, so its buttons are gone.
        reply(respond, replace_original=True, text=text)
    else:
        tell(rt, team_id=team_id, user_id=user_id, text=text)
