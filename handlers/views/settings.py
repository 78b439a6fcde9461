"""The plan settings modal: validate, save (next plan time recomputed), confirm."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import Malformed
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.forms import FieldErrors, read_submission
from bot.render.settings_modal import read_settings_form
from bot.services.notices import tell
from bot.services.settings import save_settings, schedule_text
from handlers.views.forms import show_problem


def handle_settings_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    try:
        form = read_settings_form(read_submission(view, field=Block.plan_time).values)
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except Malformed as exc:
        show_problem(ack, exc, fields={Block.plan_time}, default=Block.plan_time, context=context)
        return
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    member = save_settings(rt, team_id=team_id, user_id=user_id, new=form)
    # The modal is gone: the person's DM is where the answer waits.
    tell(rt, team_id=team_id, user_id=user_id, text=schedule_text(rt, member))
