"""A manual clock for FakeSlack(clock=...): tests move time to expire triggers and URLs."""

from __future__ import annotations

import time


class ManualClock:
    """Wall-clock time that only moves when told to."""

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
