"""Holding Web API calls unanswered, to stop the world at a chosen moment: say, kill the app's
process while Slack has its chat.postMessage in hand but has not acted on it.

`fake.hold(method)` holds every call of that method as it arrives, before the fake looks at
it: Slack has not acted on a held call, so it is listed in `hold.held` and not in `fake.calls`.
`release()` ends the hold: held calls go on and are answered (and recorded in `fake.calls`) as
usual. `drop()` ends it by closing the held calls' connections unanswered: Slack never acted on
them and `fake.calls` never lists them. Stopping the fake drops whatever is still held.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Json = dict[str, Any]
_Outcome = Literal["release", "drop"]


@dataclass(frozen=True)
class HeldCall:
    method: str
    args: Json
    at: float


class Hold:
    """Calls of one method, held until `release()` or `drop()`; see the module docstring."""

    def __init__(self, method: str, on_end: Callable[[Hold], None]) -> None:
        self.method = method
        self._on_end = on_end
        self._changed = threading.Condition()
        self._held: list[HeldCall] = []
        self._outcome: _Outcome | None = None

    @property
    def held(self) -> list[HeldCall]:
        with self._changed:
            return list(self._held)

    def wait_for_held(self, timeout: float = 10.0) -> HeldCall:
        """Block until a call is being held; returns the first one."""
        with self._changed:
            if not self._changed.wait_for(lambda: bool(self._held), timeout):
                raise TimeoutError(f"no {self.method} call arrived within {timeout}s")
            return self._held[0]

    def release(self) -> None:
        """Answer the held calls as usual and hold no more."""
        self._end("release")

    def drop(self) -> None:
        """Close the held calls' connections unanswered and hold no more."""
        self._end("drop")

    def _end(self, outcome: _Outcome) -> None:
        with self._changed:
            if self._outcome is None:
                self._outcome = outcome
                self._changed.notify_all()
        self._on_end(self)

    def admit(self, call: HeldCall) -> bool:
        """From a server thread: keep `call` until the hold ends; whether to answer it."""
        with self._changed:
            if self._outcome is not None:
                return True  # arrived as the hold ended: never held
            self._held.append(call)
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._outcome is not None)
            return self._outcome == "release"


class Holds:
    """The holds in force, at most one per method."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self._clock = clock
        self._lock = threading.Lock()
        self._active: dict[str, Hold] = {}

    def hold(self, method: str) -> Hold:
        with self._lock:
            if method in self._active:
                raise ValueError(f"{method} is already held")
            hold = self._active[method] = Hold(method, on_end=self._forget)
            return hold

    def admit(self, method: str, args: Json) -> bool:
        """Whether to answer this call; blocks while a hold on `method` keeps it."""
        with self._lock:
            hold = self._active.get(method)
        return hold is None or hold.admit(HeldCall(method, args, self._clock()))

    def drop_all(self) -> None:
        with self._lock:
            holds = list(self._active.values())
        for hold in holds:
            hold.drop()

    def _forget(self, hold: Hold) -> None:
        with self._lock:
            if self._active.get(hold.method) is hold:
                del self._active[hold.method]
