"""`/aor plan`: today's checklist now, as a DM."""

from __future__ import annotations

from bot.services.plans import send_plan_now, sent_plan_text
from handlers.commands.call import CommandCall


def plan_command(call: CommandCall) -> None:
    sent = send_plan_now(call.rt, team_id=call.team_id, user_id=call.user_id)
    call.tell(sent_plan_text(sent))
