"""The push-back form: validate, save (the approver's card shows it), confirm in the DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError, Malformed
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.forms import FieldErrors, read_submission
from bot.render.pushback import read_pushback_form
from bot.rules.envelope import STALE_FORM
from bot.services.pushback import push_back
from handlers.views.forms import show_problem

FIELDS = {Block.pushback_why, Block.pushback_drop, Block.pushback_estimate}


def handle_pushback_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    try:
        submission = read_submission(view, field=Block.pushback_why)
        form = read_pushback_form(submission.values)
        if submission.meta.assignment_id is None:
            raise Malformed(STALE_FORM, field=Block.pushback_why)
        push_back(
            rt,
            team_id=context.team_id or "",
            actor_id=context.user_id or "",
            assignment_id=submission.meta.assignment_id,
            form=form,
        )
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except AorError as exc:
        show_problem(ack, exc, fields=FIELDS, default=Block.pushback_why, context=context)
        return
    ack()
