"""Faults queued per method to exercise an app's retry paths: 5xx, 429 with Retry-After,
`ok: false` and slow answers. Each call of the method consumes the next one, in order.

A rate window is standing, not queued: beyond `limit` calls of a method per `window` seconds
in one workspace, Slack answers 429 with Retry-After until the oldest call leaves the window."""

from __future__ import annotations

import math
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]


@dataclass(frozen=True)
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


@dataclass
class RateWindow:
    """A sliding window per workspace: calls admitted within the last `window` seconds are
    counted; refused calls are not (Slack counts what it serves)."""

    limit: int
    window: float
    workspace_of: Callable[[Json], str]
    clock: Callable[[], float]
    _admitted: defaultdict[str, deque[float]] = field(
        default_factory=lambda: defaultdict(deque), repr=False
    )

    def check(self, args: Json) -> Fault | None:
        """None when the call is admitted (and counted); else the 429 to answer."""
        now = self.clock()
        admitted = self._admitted[self.workspace_of(args)]
        while admitted and admitted[0] <= now - self.window:
            admitted.popleft()
        if len(admitted) < self.limit:
            admitted.append(now)
            return None
        # Slack's Retry-After is whole seconds: when the oldest call leaves the window.
        wait = max(1, math.ceil(admitted[0] + self.window - now))
        return Fault(status=429, error="ratelimited", retry_after=wait)


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: defaultdict[str, deque[Fault]] = defaultdict(deque)
        self._windows: dict[str, RateWindow] = {}

    def queue(self, name: str, fault: Fault, times: int) -> None:
        with self._lock:
            self._queues[name].extend([fault] * times)

    def limit(self, name: str, window: RateWindow) -> None:
        with self._lock:
            self._windows[name] = window

    def take(self, name: str, args: Json | None = None) -> Fault | None:
        """The next queued fault for `name` (a delay is served here, then the call goes on),
        else the rate window's 429 if this call is over it."""
        with self._lock:
            queue = self._queues.get(name)
            fault = queue.popleft() if queue else None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # the fault itself: a slow answer, not a synchronisation
            fault = None
        if fault is None:
            with self._lock:
                window = self._windows.get(name)
                fault = window.check(args or {}) if window is not None else None
        return fault

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
            self._windows.clear()
