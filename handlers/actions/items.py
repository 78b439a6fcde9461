"""App Home: add a responsibility, and the edit / retire menu beside each item."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, BoltContext

from bot.core.ids import ItemMenu, parse_item_menu_value
from bot.core.runtime import Runtime
from bot.render.modals import ItemPrefill, ModalMeta, build_item_modal
from bot.services.items import item_for_edit, retire_own_item


def handle_open_add_item(ack: Ack, body: dict[str, Any], rt: Runtime) -> None:
    ack()
    rt.client.views_open(
        trigger_id=body["trigger_id"], view=build_item_modal(ItemPrefill(), ModalMeta())
    )


def handle_item_menu(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, rt: Runtime
) -> None:
    ack()
    choice, item_id = parse_item_menu_value(action.get("selected_option", {}).get("value", ""))
    team_id, user_id = context.team_id or "", context.user_id or ""
    if choice == ItemMenu.retire:
        retire_own_item(rt, team_id=team_id, user_id=user_id, item_id=item_id)
        return
    item = item_for_edit(rt, team_id=team_id, item_id=item_id)
    prefill = ItemPrefill.of(item)
    rt.client.views_open(
        trigger_id=body["trigger_id"], view=build_item_modal(prefill, ModalMeta(item_id=item_id))
    )
