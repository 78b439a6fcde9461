"""App Home buttons: "Settings" opens the plan settings modal, "Today's plan" sends it."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.runtime import Runtime
from bot.render.modals import ModalMeta
from bot.render.settings_modal import build_settings_modal
from bot.rules.payloads import parse_trigger
from bot.services.modals import open_modal
from bot.services.notices import tell
from bot.services.plans import send_plan_now, sent_plan_text
from bot.services.settings import current_settings


def handle_open_settings(ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    trigger_id = parse_trigger(body)
    ack()
    current, slack_tz, workspace_calendar = current_settings(
        rt, team_id=context.team_id or "", user_id=context.user_id or ""
    )
    open_modal(
        rt,
        team_id=context.team_id or "",
        trigger_id=trigger_id,
        view=build_settings_modal(
            current, slack_tz=slack_tz, meta=ModalMeta(), workspace_calendar=workspace_calendar
        ),
    )


def handle_send_plan(ack: Ack, context: BoltContext, rt: Runtime) -> None:
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    sent = send_plan_now(rt, team_id=team_id, user_id=user_id)
    if sent is None:
        # No checklist to show: App Home has no reply channel, the DM is where they look.
        tell(rt, team_id=team_id, user_id=user_id, text=sent_plan_text(sent))
