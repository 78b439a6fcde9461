"""Events API listeners."""

from slack_bolt import App

from handlers import listen
from handlers.events.app_home_opened import handle_app_home_opened

__all__ = ["register"]


def register(app: App) -> None:
    listen.event(app, "app_home_opened", handle_app_home_opened)
