"""Sending at each workspace's rate: Slack limits every Web API method per workspace, and
answers 429 with Retry-After beyond it. Each (workspace, method) has a slot clock here: a
bulk send (the scheduler's drain) waits for its slot, one every 1/rate s, so a sliding
window of a second never holds more than `rate` calls; an interactive send (what a person's
click caused) never waits for a slot but takes one, so it goes ahead of the bulk. A 429 is
honoured exactly: the method is paused for Retry-After, no jitter, then sending resumes.

One process sends a workspace's bulk at a time (`storage.locks.workspace_sender`); this
clock is the process's own."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.core.logs import log_event

logger = logging.getLogger(__name__)


@dataclass
class _Clock:
    next_slot: float = 0.0  # monotonic time of the next free slot


# Calls reach Slack a little early or late of their slot: spaced at exactly the limit, some
# second would hold one too many, and each 429 costs a whole second of Retry-After. Spacing
# at 95% of the rate costs 5%.
HEADROOM = 0.95


@dataclass
class Pacer:
    rate: float  # calls per second, per workspace and method
    sleep: Callable[[float], None] = time.sleep
    now: Callable[[], float] = time.monotonic
    _clocks: dict[tuple[str, str], _Clock] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def wait_time(self, team_id: str, method: str) -> float:
        with self._lock:
            clock = self._clocks.get((team_id, method))
            return 0.0 if clock is None else max(clock.next_slot - self.now(), 0.0)

    def take(self, team_id: str, method: str, *, bulk: bool) -> None:
        """Take the next slot; a bulk send first sleeps until it comes."""
        with self._lock:
            clock = self._clocks.setdefault((team_id, method), _Clock())
            now = self.now()
            start = max(clock.next_slot, now) if bulk else now
            clock.next_slot = max(clock.next_slot, start) + 1.0 / (self.rate * HEADROOM)
        if start > now:
            self.sleep(start - now)

    def pause(self, team_id: str, method: str, seconds: float) -> None:
        """Slack said Retry-After: nothing more of this method for that long."""
        with self._lock:
            clock = self._clocks.setdefault((team_id, method), _Clock())
            clock.next_slot = max(clock.next_slot, self.now() + seconds)


_current = threading.local()


@contextmanager
def sending(pacer: Pacer, team_id: str, method: str, *, bulk: bool) -> Iterator[None]:
    """Around one Web API call of delivery: takes its slot, and lets a 429 on this thread
    pause the right clock (`ExactRateLimitRetryHandler`)."""
    pacer.take(team_id, method, bulk=bulk)
    _current.slot = (pacer, team_id, method)
    try:
        yield
    finally:
        _current.slot = None


class ExactRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """slack_sdk's handler for 429, with Slack's Retry-After honoured exactly (slack_sdk adds
    up to a second of jitter) and delivery's clock paused for the same time, so the sends
    that follow on other threads wait too instead of tripping the limit again."""

    def prepare_for_next_attempt(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]  # as slack_sdk's own handler does
        state.next_attempt_requested = True
        seconds = retry_after(response.headers)
        slot: tuple[Pacer, str, str] | None = getattr(_current, "slot", None)
        if slot is not None:
            pacer, team_id, method = slot
            pacer.pause(team_id, method, seconds)
            log_event(logger, "slack.rate_limited", team=team_id, method=method, wait=seconds)
        time.sleep(seconds)
        state.increment_current_attempt()


def retry_after(headers: dict[str, Any]) -> float:
    """Slack's Retry-After in seconds (one when it did not say)."""
    for name, value in headers.items():
        if name.lower() == "retry-after":
            first = value[0] if isinstance(value, list) else value
            try:
                return max(float(first), 0.0)
            except (TypeError, ValueError):
                return 1.0
    return 1.0
