"""The add / edit responsibility modals from App Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError, Malformed
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.forms import FieldErrors, read_item_form, read_submission
from bot.render.modals import ModalMeta
from bot.rules.envelope import STALE_FORM
from bot.services.items import NewItem, add_own_item, edit_own_item
from handlers.views.forms import show_problem

ITEM_FIELDS = {Block.title_text, Block.details, Block.duration, Block.tier, Block.cadence}


def _save(
    ack: Ack,
    view: dict[str, Any],
    context: BoltContext,
    save: Callable[[NewItem, ModalMeta], object],
) -> None:
    """Validate the modal, save it, and close it, or keep it open with the problem shown."""
    try:
        submission = read_submission(view, field=Block.title_text)
        form = read_item_form(submission.values)
        new = NewItem(
            title=form.title,
            minutes=form.minutes,
            tier=form.tier,
            cadence=form.cadence,
            details=form.details,
        )
        save(new, submission.meta)
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    except AorError as exc:
        show_problem(ack, exc, fields=ITEM_FIELDS, default=Block.title_text, context=context)
        return
    ack()


def handle_add_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""

    def add(new: NewItem, meta: ModalMeta) -> object:
        return add_own_item(rt, team_id=team_id, user_id=user_id, new=new)

    _save(ack, view, context, add)


def handle_edit_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""

    def edit(new: NewItem, meta: ModalMeta) -> object:
        if meta.item_id is None:  # an edit form always names its item
            raise Malformed(STALE_FORM, field=Block.title_text)
        return edit_own_item(rt, team_id=team_id, user_id=user_id, item_id=meta.item_id, form=new)

    _save(ack, view, context, edit)
