"""Slack listeners, grouped by surface. `register` is the one place they are wired, each
through `handlers.listen` (which guards it)."""

from slack_bolt import App

from handlers import actions, commands, errors, events, views

__all__ = ["register"]


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
    errors.register(app)
