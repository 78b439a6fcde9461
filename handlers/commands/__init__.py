"""The /aor slash command."""

from slack_bolt import App

from handlers.commands.aor import handle_aor

__all__ = ["register"]


def register(app: App) -> None:
    app.command("/aor")(handle_aor)
