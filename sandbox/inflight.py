"""Knowing when a Bolt app has finished what it was sent: for tests and benchmarks that must
see every effect of an action (its DMs, its App Homes, its last statement) before they look."""

from __future__ import annotations

import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any


class InFlight:
    """Counts the work a Bolt app's listener executor holds (submitted, not finished): a
    listener acks, then does its work and delivers what it committed on the same thread, so
    the app is idle once this is zero."""

    def __init__(self, executor: ThreadPoolExecutor) -> None:
        self._busy = 0
        self._idle = threading.Condition()
        submit = executor.submit

        def counted(fn: Any, /, *args: Any, **kwargs: Any) -> Future[Any]:
            with self._idle:
                self._busy += 1
            future = submit(fn, *args, **kwargs)
            future.add_done_callback(self._done)
            return future

        executor.submit = counted  # type: ignore[method-assign]

    def _done(self, _future: Future[Any]) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        with self._idle:
            return self._idle.wait_for(lambda: self._busy == 0, timeout=timeout)
