"""Modal submissions."""

from slack_bolt import App

__all__ = ["register"]


def register(app: App) -> None:
    del app  # modals arrive with their features
