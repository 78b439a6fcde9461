"""The /aor slash command."""

from slack_bolt import App

from handlers.commands.aor import handle_aor
from handlers.errors import guarded

__all__ = ["register"]


def register(app: App) -> None:
    app.command("/aor")(guarded(handle_aor))
