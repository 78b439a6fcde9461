"""The position modal: a new position, or a new version of one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.core.text import escape
from bot.render.forms import FieldErrors, read_submission
from bot.render.position_form import read_position_form
from bot.services.notices import tell
from bot.services.positions import save_position
from handlers.views.forms import show_problem

POSITION_FIELDS = {Block.position_title, Block.kpis, Block.cadence_weeks}


def handle_position_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""
    try:
        submission = read_submission(view, field=Block.position_title)
        content = read_position_form(submission.values)
        saved = save_position(
            rt,
            team_id=team_id,
            actor_id=user_id,
            position_id=submission.meta.position_id,
            default=submission.meta.default_position,
            content=content,
        )
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except AorError as exc:
        show_problem(
            ack, exc, fields=POSITION_FIELDS, default=Block.position_title, context=context
        )
        return
    ack()
    # The modal is gone: the person's DM is where the answer waits.
    tell(
        rt,
        team_id=team_id,
        user_id=user_id,
        text=f"Saved *{escape(saved.title)}* as version {saved.version}. "
        f"`/aor position {escape(saved.title)}` shows it.",
    )
