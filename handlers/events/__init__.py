"""Events API listeners."""

from slack_bolt import App

from handlers.errors import guarded
from handlers.events.app_home_opened import handle_app_home_opened

__all__ = ["register"]


def register(app: App) -> None:
    app.event("app_home_opened")(guarded(handle_app_home_opened))
