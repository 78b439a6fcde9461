"""`/aor coaching` (your 1:1s) or `/aor coaching [@rep] WEEKDAY HH:MM [every 1|2|4 weeks]`."""

from __future__ import annotations

from bot.rules.meetings import parse_coaching_args
from bot.services.one_on_ones import set_schedule, show_schedules
from handlers.commands.call import CommandCall


def coaching_command(call: CommandCall) -> None:
    if not call.args:
        call.tell(show_schedules(call.rt, team_id=call.team_id, user_id=call.user_id))
        return
    args = parse_coaching_args(call.args)
    call.tell(set_schedule(call.rt, team_id=call.team_id, actor_id=call.user_id, args=args))
