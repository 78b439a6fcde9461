"""Block actions: buttons, menus and checkboxes in messages and App Home."""

import re

from slack_bolt import App

from bot.ids import Action
from handlers.actions.decide import handle_decide
from handlers.actions.items import handle_item_menu, handle_open_add_item

__all__ = ["register"]


def register(app: App) -> None:
    app.action(re.compile(rf"^{Action.decide}:"))(handle_decide)
    app.action(Action.item_menu)(handle_item_menu)
    app.action(Action.open_add_item)(handle_open_add_item)
