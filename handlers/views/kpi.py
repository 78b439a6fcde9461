"""The KPI form: this week's figures, saved together or not at all."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError, Malformed
from bot.core.ids import kpi_block_id
from bot.core.runtime import Runtime
from bot.render.forms import FieldErrors, read_submission
from bot.render.kpi_form import logged_text, read_kpi_form
from bot.rules.envelope import STALE_FORM
from bot.services.kpis import save_kpi_form
from bot.services.notices import tell
from handlers.views.forms import show_problem


def handle_kpi_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""
    submission = None
    try:
        submission = read_submission(view, field="")
        meta = submission.meta
        if meta.rep_id is None or meta.week is None:  # the form always names both
            raise Malformed(STALE_FORM)
        typed = read_kpi_form(submission.values)
        logged = save_kpi_form(
            rt, team_id=team_id, actor_id=user_id, rep_id=meta.rep_id, week=meta.week, typed=typed
        )
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except AorError as exc:
        fields = set(submission.values) if submission is not None else set()
        first = next(iter(sorted(fields)), kpi_block_id("value"))
        show_problem(ack, exc, fields=fields, default=first, context=context)
        return
    ack()
    if not logged.values:
        return  # nothing filled in, nothing to say
    tell(
        rt,
        team_id=team_id,
        user_id=user_id,
        text=logged_text(
            rep_id=logged.rep_id,
            reader=user_id,
            week=logged.week,
            values=logged.values,
            view=logged.position,
        ),
    )
