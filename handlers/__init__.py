"""Slack listeners, grouped by surface. `register` is the one place they are wired, each
through `handlers.listen` (which guards it), the listeners for what no other listener takes
(`unmatched`) last. `register_gate` goes before every other middleware (handlers.gate)."""

from slack_bolt import App

from handlers import actions, commands, errors, events, gate, unmatched, views

__all__ = ["register", "register_gate"]


def register_gate(app: App) -> None:
    gate.register(app)


def register(app: App) -> None:
    commands.register(app)
    actions.register(app)
    views.register(app)
    events.register(app)
    unmatched.register(app)
    errors.register(app)
