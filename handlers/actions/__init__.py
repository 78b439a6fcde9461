"""Block actions: buttons, menus and checkboxes in messages and App Home."""

from slack_bolt import App

from bot.core.ids import CHOOSE_TIER_ACTION, DECIDE_ACTION, PLAN_CHECK_ACTION, Action
from handlers import listen
from handlers.actions.choose_tier import handle_choose_tier
from handlers.actions.decide import handle_decide
from handlers.actions.items import handle_item_menu, handle_open_add_item
from handlers.actions.plan_buttons import handle_open_settings, handle_send_plan
from handlers.actions.plan_check import handle_plan_check
from handlers.actions.pushback import handle_pushback
from handlers.actions.withdraw import handle_withdraw

__all__ = ["register"]


def register(app: App) -> None:
    listen.action(app, DECIDE_ACTION, handle_decide)
    listen.action(app, Action.item_menu, handle_item_menu)
    listen.action(app, Action.open_add_item, handle_open_add_item)
    listen.action(app, PLAN_CHECK_ACTION, handle_plan_check)
    listen.action(app, Action.open_settings, handle_open_settings)
    listen.action(app, Action.send_plan, handle_send_plan)
    listen.action(app, Action.withdraw, handle_withdraw)
    listen.action(app, Action.pushback, handle_pushback)
    listen.action(app, CHOOSE_TIER_ACTION, handle_choose_tier)
