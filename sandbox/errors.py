"""How a fake Web API method refuses a call."""

from __future__ import annotations


class SlackError(Exception):
    """Makes a method answer `ok: false`; `violation` also flags the call as an app bug."""

    def __init__(self, error: str, violation: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.violation = violation
