"""`/aor settings`: the plan settings modal; `/aor settings holidays CODE`: the workspace's
holiday calendar."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.render.modals import ModalMeta
from bot.render.settings_modal import build_settings_modal
from bot.services.holidays import USAGE, set_workspace_calendar, workspace_calendar_text
from bot.services.modals import open_modal
from bot.services.settings import current_settings
from handlers.commands.call import CommandCall


def settings_command(call: CommandCall) -> None:
    if call.args:
        word, _, rest = call.args.partition(" ")
        if word.lower() != "holidays":
            raise InvalidInput(USAGE)
        saved = set_workspace_calendar(
            call.rt, team_id=call.team_id, actor_id=call.user_id, text=rest
        )
        call.tell(f"Saved. {workspace_calendar_text(saved)}")
        return
    current, slack_tz, workspace = current_settings(
        call.rt, team_id=call.team_id, user_id=call.user_id
    )
    open_modal(
        call.rt,
        trigger_id=call.trigger_id,
        view=build_settings_modal(
            current, slack_tz=slack_tz, meta=ModalMeta(), workspace_calendar=workspace
        ),
    )
