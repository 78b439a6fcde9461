"""Block actions: buttons, checkboxes and selects in messages, modals and App Home."""

from slack_bolt import App

__all__ = ["register"]


def register(app: App) -> None:
    del app  # actions arrive with their features
