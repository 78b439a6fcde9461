"""`/aor pending`: decisions waiting on the person, with the decision buttons, and the
requests they asked for, with a withdraw button; for an admin, what stalled in the workspace."""

from __future__ import annotations

from bot.render.withdraw import build_pending_and_asked
from bot.services.reading import read_asked, read_pending
from handlers.commands.call import CommandCall


def pending_command(call: CommandCall) -> None:
    queue, stalled = read_pending(call.rt, team_id=call.team_id, approver_id=call.user_id)
    asked = read_asked(call.rt, team_id=call.team_id, requester_id=call.user_id)
    call.answer(**build_pending_and_asked(queue, asked, stalled))
