"""Events API listeners."""

from slack_bolt import App

from handlers import listen
from handlers.events.app_home_opened import handle_app_home_opened
from handlers.events.uninstall import handle_app_uninstalled, handle_tokens_revoked

__all__ = ["register"]


def register(app: App) -> None:
    listen.event(app, "app_home_opened", handle_app_home_opened)
    listen.event(app, "app_uninstalled", handle_app_uninstalled)
    listen.event(app, "tokens_revoked", handle_tokens_revoked)
