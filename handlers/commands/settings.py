"""`/aor settings`: the plan settings modal; `/aor settings holidays CODE` and
`/aor settings reminders DAYS`: the workspace's holiday calendar and reminder interval."""

from __future__ import annotations

from bot.core.errors import InvalidInput
from bot.render.modals import ModalMeta
from bot.render.settings_modal import build_settings_modal
from bot.services.modals import open_modal
from bot.services.settings import current_settings
from bot.services.workspace import (
    USAGE,
    reminder_days_text,
    set_reminder_days,
    set_workspace_calendar,
    workspace_calendar_text,
)
from handlers.commands.call import CommandCall


def settings_command(call: CommandCall) -> None:
    if call.args:
        word, _, rest = call.args.partition(" ")
        where = {"team_id": call.team_id, "actor_id": call.user_id, "text": rest}
        if word.lower() == "holidays":
            saved = set_workspace_calendar(call.rt, **where)
            call.tell(f"Saved. {workspace_calendar_text(saved)}")
        elif word.lower() == "reminders":
            days = set_reminder_days(call.rt, **where)
            call.tell(f"Saved. {reminder_days_text(days)}")
        else:
            raise InvalidInput(USAGE)
        return
    current, slack_tz, workspace = current_settings(
        call.rt, team_id=call.team_id, user_id=call.user_id
    )
    open_modal(
        call.rt,
        team_id=call.team_id,
        trigger_id=call.trigger_id,
        view=build_settings_modal(
            current, slack_tz=slack_tz, meta=ModalMeta(), workspace_calendar=workspace
        ),
    )
