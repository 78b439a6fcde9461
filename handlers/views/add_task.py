"""The add-task modal: validate, create, close (or show field errors)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext
from slack_sdk.errors import SlackClientError

from bot.core.clock import earliest_today
from bot.core.errors import AorError
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.modals import FieldErrors, ModalMeta, read_task_form
from bot.services.assignments import TaskRequest, create_assignment, created_reply
from handlers.replies import tell_after_modal

SLOW_SLACK = "Slack did not answer in time about this person, so nothing was saved. Try again."
# Refusals not about one field (e.g. "no manager of record") show beside the rep.
TASK_FIELDS = {Block.rep, Block.title_text, Block.duration, Block.due, Block.cadence}


def handle_add_task_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    try:
        form = read_task_form(view["state"]["values"], today=earliest_today())
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    try:
        assignment = create_assignment(
            rt,
            team_id=context.team_id or "",
            requester_id=context.user_id or "",
            task=TaskRequest(
                rep_id=form.rep_id,
                title=form.title,
                minutes=form.minutes,
                cadence=form.cadence,
                due=form.due,
                details=form.details,
            ),
            quick=True,
        )
    except AorError as exc:
        field = exc.field if exc.field in TASK_FIELDS else Block.rep
        ack(response_action="errors", errors={field: exc.message})
        return
    except (SlackClientError, OSError):
        # Slack did not answer about the rep in time; nothing was saved.
        ack(response_action="errors", errors={Block.rep: SLOW_SLACK})
        return
    ack()
    meta = ModalMeta.model_validate_json(view.get("private_metadata") or "{}")
    tell_after_modal(
        rt,
        meta=meta,
        team_id=context.team_id or "",
        user_id=context.user_id or "",
        text=created_reply(rt, assignment),
    )
