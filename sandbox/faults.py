"""Faults queued per method to exercise an app's retry paths: 5xx, 429 with Retry-After,
`ok: false` and slow answers. Each call of the method consumes the next one, in order."""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass


@dataclass(frozen=True)
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


class Faults:
    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queues: defaultdict[str, deque[Fault]] = defaultdict(deque)

    def queue(self, name: str, fault: Fault, times: int) -> None:
        with self._lock:
            self._queues[name].extend([fault] * times)

    def take(self, name: str) -> Fault | None:
        """The next queued fault for `name`; a delay is served here and then the call proceeds."""
        with self._lock:
            queue = self._queues.get(name)
            fault = queue.popleft() if queue else None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)  # the fault itself: a slow answer, not a synchronisation
            return None
        return fault

    def clear(self) -> None:
        with self._lock:
            self._queues.clear()
