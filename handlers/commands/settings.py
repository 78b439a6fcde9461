"""`/aor settings`: the plan settings modal."""

from __future__ import annotations

from bot.render.modals import ModalMeta
from bot.render.settings_modal import build_settings_modal
from bot.services.modals import open_modal
from bot.services.settings import current_settings
from handlers.commands.call import CommandCall


def settings_command(call: CommandCall) -> None:
    current, slack_tz = current_settings(call.rt, team_id=call.team_id, user_id=call.user_id)
    open_modal(
        call.rt,
        team_id=call.team_id,
        trigger_id=call.trigger_id,
        view=build_settings_modal(current, slack_tz=slack_tz, meta=ModalMeta()),
    )
