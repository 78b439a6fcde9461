"""App Home: add a responsibility, and the edit / retire menu beside each item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.ids import ItemMenu
from bot.core.runtime import Runtime
from bot.render.modals import ItemPrefill, ModalMeta, build_item_modal
from bot.rules.payloads import parse_menu_click, parse_trigger
from bot.services.items import item_for_edit, retire_own_item
from bot.services.modals import open_modal


def handle_open_add_item(ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    trigger_id = parse_trigger(body)
    ack()
    view = build_item_modal(ItemPrefill(), ModalMeta())
    open_modal(rt, team_id=context.team_id or "", trigger_id=trigger_id, view=view)


def handle_item_menu(ack: Ack, body: dict[str, Any], context: BoltContext, rt: Runtime) -> None:
    click = parse_menu_click(body)
    ack()
    team_id, user_id = context.team_id or "", context.user_id or ""
    if click.choice == ItemMenu.retire:
        retire_own_item(rt, team_id=team_id, user_id=user_id, item_id=click.item_id)
        return
    # Refused here, before the form shows anything of an item the person may not change.
    item = item_for_edit(rt, team_id=team_id, actor_id=user_id, item_id=click.item_id)
    open_modal(
        rt,
        team_id=team_id,
        trigger_id=click.trigger_id,
        view=build_item_modal(ItemPrefill.of(item), ModalMeta(item_id=click.item_id)),
    )
