"""The /aor slash command."""

from slack_bolt import App

from handlers import listen
from handlers.commands.aor import handle_aor

__all__ = ["register"]


def register(app: App) -> None:
    listen.command(app, "/aor", handle_aor)
