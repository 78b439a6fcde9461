"""Modal submissions."""

from slack_bolt import App

from bot.core.ids import Callback
from handlers import listen
from handlers.views.add_task import handle_add_task_submission
from handlers.views.items import handle_add_item_submission, handle_edit_item_submission
from handlers.views.kpi import handle_kpi_submission
from handlers.views.position import handle_position_submission
from handlers.views.pushback import handle_pushback_submission
from handlers.views.settings import handle_settings_submission

__all__ = ["register"]


def register(app: App) -> None:
    listen.view(app, Callback.add_task, handle_add_task_submission)
    listen.view(app, Callback.add_item, handle_add_item_submission)
    listen.view(app, Callback.edit_item, handle_edit_item_submission)
    listen.view(app, Callback.settings, handle_settings_submission)
    listen.view(app, Callback.pushback, handle_pushback_submission)
    listen.view(app, Callback.position, handle_position_submission)
    listen.view(app, Callback.kpis, handle_kpi_submission)
