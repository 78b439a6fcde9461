"""`/aor pending`: decisions waiting on the person, with the decision buttons."""

from __future__ import annotations

from bot.render.pending import build_pending
from bot.services.reading import read_pending
from handlers.commands.call import CommandCall


def pending_command(call: CommandCall) -> None:
    queue = read_pending(call.rt, team_id=call.team_id, approver_id=call.user_id)
    call.answer(**build_pending(queue))
