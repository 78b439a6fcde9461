"""`/aor set-manager @rep @manager`."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.render.words import manager_set_text
from bot.rules.mentions import mentions
from bot.services.members import set_manager
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
    call.tell(manager_set_text(rep_id=rep_id, manager_id=manager_id, reader=call.user_id))
