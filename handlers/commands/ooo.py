"""`/aor ooo YYYY-MM-DD|off`: no morning plans until that date (the first day back)."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.services.delegation import rehome_for_approver
from bot.services.settings import schedule_text, set_ooo
from handlers.commands.call import CommandCall


def ooo_command(call: CommandCall) -> None:
    if not call.args:
        raise InvalidInput("Usage: `/aor ooo YYYY-MM-DD` (your first day back) or `/aor ooo off`.")
    member = set_ooo(call.rt, team_id=call.team_id, user_id=call.user_id, text=call.args)
    rehome_for_approver(call.rt, team_id=call.team_id, approver_id=call.user_id)
    call.tell(schedule_text(call.rt, member))
