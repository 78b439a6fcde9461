"""`/aor add-task @rep TITLE [DURATION] [daily|weekly|once] [due:YYYY-MM-DD]`."""

from __future__ import annotations

from bot.core.clock import earliest_today
from bot.render.assignment import view_of
from bot.render.modals import ModalMeta, build_add_task_modal
from bot.render.withdraw import with_withdraw
from bot.rules.parsing import parse_add_task
from bot.services.assignments import TaskRequest, create_assignment
from bot.services.modals import open_modal
from bot.services.outcomes import created_reply
from handlers.commands.call import CommandCall


def add_task_command(call: CommandCall) -> None:
    parsed = parse_add_task(call.args, today=earliest_today())
    if parsed.errors:
        problems = "\n".join(f"• {message}" for message in parsed.errors.values())
        call.tell(f"I couldn't add that task:\n{problems}\n`/aor add-task` alone opens a form.")
        return
    draft = parsed.draft
    if not draft.complete:
        # The trigger id expires 3 s after Slack sent the command: open before anything slow.
        open_modal(
            call.rt,
            team_id=call.team_id,
            trigger_id=call.trigger_id,
            view=build_add_task_modal(draft, ModalMeta()),
        )
        return
    assert draft.rep_id and draft.title and draft.minutes  # complete says so
    assignment = create_assignment(
        call.rt,
        team_id=call.team_id,
        requester_id=call.user_id,
        task=TaskRequest(
            rep_id=draft.rep_id,
            title=draft.title,
            minutes=draft.minutes,
            cadence=draft.cadence or "once",  # type: ignore[arg-type]
            due=draft.due,
        ),
    )
    call.answer(**with_withdraw(created_reply(call.rt, assignment), view_of(assignment)))
