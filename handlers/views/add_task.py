"""The add-task modal: validate, create, close (or show field errors)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.clock import earliest_today
from bot.core.errors import AorError, SlackUnavailable
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.assignment import view_of
from bot.render.forms import FieldErrors, read_submission, read_task_form
from bot.render.withdraw import with_withdraw
from bot.services.assignments import TaskRequest, create_assignment
from bot.services.notices import tell
from bot.services.outcomes import created_reply
from handlers.views.forms import show_problem

SLOW_SLACK = "Slack did not answer in time about this person, so nothing was saved. Try again."
# Refusals not about one field (e.g. "no manager of record") show beside the rep.
TASK_FIELDS = {Block.rep, Block.title_text, Block.details, Block.duration, Block.due, Block.cadence}


def handle_add_task_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""
    try:
        submission = read_submission(view, field=Block.rep)
        form = read_task_form(submission.values, today=earliest_today())
        assignment = create_assignment(
            rt,
            team_id=team_id,
            requester_id=user_id,
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
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except SlackUnavailable:
        # Slack did not answer about the rep in time; nothing was saved.
        ack(response_action="errors", errors={Block.rep: SLOW_SLACK})
        return
    except AorError as exc:
        show_problem(ack, exc, fields=TASK_FIELDS, default=Block.rep, context=context)
        return
    ack()
    # The modal is gone: the person's DM is where the answer waits (never a URL the modal
    # carried).
    told = with_withdraw(created_reply(rt, assignment), view_of(assignment))
    tell(rt, team_id=team_id, user_id=user_id, text=told["text"], blocks=told["blocks"])
