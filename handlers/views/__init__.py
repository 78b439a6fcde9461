"""Modal submissions."""

from slack_bolt import App

from bot.core.ids import Callback
from handlers.errors import guarded
from handlers.views.add_task import handle_add_task_submission
from handlers.views.items import handle_add_item_submission, handle_edit_item_submission
from handlers.views.settings import handle_settings_submission

__all__ = ["register"]


def register(app: App) -> None:
    app.view(Callback.add_task)(guarded(handle_add_task_submission))
    app.view(Callback.add_item)(guarded(handle_add_item_submission))
    app.view(Callback.edit_item)(guarded(handle_edit_item_submission))
    app.view(Callback.settings)(guarded(handle_settings_submission))
