"""Block actions: buttons, menus and checkboxes in messages and App Home."""

from slack_bolt import App

from bot.core.ids import DECIDE_ACTION, PLAN_CHECK_ACTION, Action
from handlers.actions.decide import handle_decide
from handlers.actions.items import handle_item_menu, handle_open_add_item
from handlers.actions.plan_buttons import handle_open_settings, handle_send_plan
from handlers.actions.plan_check import handle_plan_check
from handlers.errors import guarded

__all__ = ["register"]


def register(app: App) -> None:
    app.action(DECIDE_ACTION)(guarded(handle_decide))
    app.action(Action.item_menu)(guarded(handle_item_menu))
    app.action(Action.open_add_item)(guarded(handle_open_add_item))
    app.action(PLAN_CHECK_ACTION)(guarded(handle_plan_check))
    app.action(Action.open_settings)(guarded(handle_open_settings))
    app.action(Action.send_plan)(guarded(handle_send_plan))
