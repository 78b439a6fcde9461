"""The add / edit responsibility modals from App Home."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.errors import AorError
from bot.ids import Block
from bot.items import NewItem, add_own_item, edit_own_item
from bot.modals import FieldErrors, ItemForm, ModalMeta, read_item_form
from bot.runtime import Runtime

FIELDS = {Block.title, Block.duration, Block.tier, Block.cadence}


def _form(ack: Ack, view: dict[str, Any]) -> ItemForm | None:
    try:
        return read_item_form(view["state"]["values"])
    except FieldErrors as exc:
        ack(response_action="errors", errors=exc.errors)
        return None


def _new(form: ItemForm) -> NewItem:
    return NewItem(
        title=form.title,
        minutes=form.minutes,
        tier=form.tier,
        cadence=form.cadence,
        details=form.details,
    )


def _refuse(ack: Ack, exc: AorError) -> None:
    ack(
        response_action="errors",
        errors={exc.field if exc.field in FIELDS else Block.title: exc.message},
    )


def handle_add_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    form = _form(ack, view)
    if form is None:
        return
    try:
        add_own_item(
            rt, team_id=context.team_id or "", user_id=context.user_id or "", new=_new(form)
        )
    except AorError as exc:
        _refuse(ack, exc)
        return
    ack()


def handle_edit_item_submission(
    ack: Ack, view: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    form = _form(ack, view)
    if form is None:
        return
    meta = ModalMeta.model_validate_json(view.get("private_metadata") or "{}")
    try:
        edit_own_item(
            rt,
            team_id=context.team_id or "",
            user_id=context.user_id or "",
            item_id=meta.item_id or 0,
            form=_new(form),
        )
    except AorError as exc:
        _refuse(ack, exc)
        return
    ack()
