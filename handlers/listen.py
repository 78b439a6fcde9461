"""The one way to register a listener: each is wrapped by `guarded` on the way in, so none
reaches Bolt with its errors unreported or its deliveries sent before the ack. Surfaces call
these, never `app.command` / `app.action` / `app.view` / `app.event` themselves."""

from __future__ import annotations

import re
from collections.abc import Callable

from slack_bolt import App

from handlers.errors import guarded

__all__ = ["action", "command", "event", "view", "view_closed"]

Listener = Callable[..., None]
Name = str | re.Pattern[str]


def command(app: App, name: Name, listener: Listener) -> None:
    app.command(name)(guarded(listener))


def action(app: App, action_id: Name, listener: Listener) -> None:
    app.action(action_id)(guarded(listener))


def view(app: App, callback_id: Name, listener: Listener) -> None:
    app.view(callback_id)(guarded(listener))


def view_closed(app: App, callback_id: Name, listener: Listener) -> None:
    app.view_closed(callback_id)(guarded(listener))


def event(app: App, name: Name, listener: Listener) -> None:
    app.event(name)(guarded(listener))
