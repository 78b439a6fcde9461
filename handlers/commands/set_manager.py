"""`/aor set-manager @rep @manager`."""

from __future__ import annotations

from bot.errors import InvalidInput
from bot.members import set_manager
from bot.people import mentions
from bot.text import mention
from handlers.commands.call import CommandCall


def set_manager_command(call: CommandCall) -> None:
    people = mentions(call.args)
    if len(people) != 2:
        raise InvalidInput(
            "Usage: `/aor set-manager @rep @manager` (pick both from the autocomplete)."
        )
    rep_id, manager_id = people
    set_manager(
        call.rt, team_id=call.team_id, actor_id=call.user_id, rep_id=rep_id, manager_id=manager_id
    )
    call.tell(f"{mention(manager_id)} is now {mention(rep_id)}'s manager of record.")
