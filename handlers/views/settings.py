"""The plan settings modal: validate, save (next plan time recomputed), confirm."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.runtime import Runtime
from bot.render.modals import FieldErrors, ModalMeta
from bot.render.settings_modal import read_settings_form
from bot.services.settings import save_settings, schedule_text
from handlers.replies import tell_after_modal


def handle_settings_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    try:
        form = read_settings_form(view["state"]["values"])
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    member = save_settings(rt, team_id=team_id, user_id=user_id, new=form)
    meta = ModalMeta.model_validate_json(view.get("private_metadata") or "{}")
    tell_after_modal(rt, meta=meta, team_id=team_id, user_id=user_id, text=schedule_text(member))
