"""Typed errors. Known ones (AorError) become a clear message to the person; anything else
becomes "something went wrong (ref …)" with the traceback logged under that ref."""

from __future__ import annotations


class AorError(Exception):
    """A known failure whose message is written for the person who caused it; `field`
    names the modal input (or command part) at fault, when there is one."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidInput(AorError):
    """Bad input."""


class Malformed(InvalidInput):
    """A payload Slack signed that reads as nothing this app sent: a stale or tampered button,
    form or event. Nothing is done; the person is told it is out of date, and it is logged as
    a warning (never with a traceback)."""


class NotAllowed(AorError):
    """The person may not do this."""


class NotFound(AorError):
    """The thing referred to does not exist (or is not visible to the person)."""


class Conflict(AorError):
    """The action clashes with the current state (already decided, owned by someone else)."""


class DatabaseUnavailable(AorError):
    """The database did not answer, even when asked twice: the person is told plainly whether
    anything was saved (almost always: nothing was), with no ref to chase."""

    NOT_SAVED = "The database is not answering, so nothing was saved. Please try again in a moment."
    MAYBE_SAVED = (
        "The database stopped answering just as this was being saved, so I can't tell whether "
        "it was. Please check (your App Home, or `/aor pending`) before trying again."
    )

    def __init__(self, *, maybe_saved: bool = False) -> None:
        super().__init__(self.MAYBE_SAVED if maybe_saved else self.NOT_SAVED)
        self.maybe_saved = maybe_saved


class SlackUnavailable(AorError):
    """Slack did not answer a call the action needed (5xx, 429 past the client's retries, a
    timeout), so nothing was done: try again in a minute."""

    MESSAGE = "Slack is not answering right now, so nothing was done. Please try again in a minute."

    def __init__(self, message: str = MESSAGE, *, field: str | None = None) -> None:
        super().__init__(message, field=field)


class ConfigError(Exception):
    """The process cannot start: one line for the operator, exit code 2."""
