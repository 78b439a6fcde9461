"""The add / edit responsibility modals from App Home."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.errors import AorError
from bot.core.ids import Block
from bot.core.runtime import Runtime
from bot.render.modals import FieldErrors, ModalMeta, read_item_form
from bot.services.items import NewItem, add_own_item, edit_own_item

ITEM_FIELDS = {Block.title_text, Block.duration, Block.tier, Block.cadence}


def _save(ack: Ack, view: dict[str, Any], save: Callable[[NewItem], object]) -> None:
    """Validate the modal, save it, and close it, or keep it open with the problem shown."""
    try:
        form = read_item_form(view["state"]["values"])
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return
    new = NewItem(
        title=form.title,
        minutes=form.minutes,
        tier=form.tier,
        cadence=form.cadence,
        details=form.details,
    )
    try:
        save(new)
    except AorError as exc:
        field = exc.field if exc.field in ITEM_FIELDS else Block.title_text
        ack(response_action="errors", errors={field: exc.message})
        return
    ack()


def handle_add_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""
    _save(ack, view, lambda new: add_own_item(rt, team_id=team_id, user_id=user_id, new=new))


def handle_edit_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    team_id, user_id = context.team_id or "", context.user_id or ""
    item_id = ModalMeta.model_validate_json(view.get("private_metadata") or "{}").item_id or 0
    _save(
        ack,
        view,
        lambda new: edit_own_item(rt, team_id=team_id, user_id=user_id, item_id=item_id, form=new),
    )
