"""FakeSlack in a process of its own (a multiprocessing manager), so the CPU it spends
answering the app is neither the app's nor the load generator's, and its threads never hold
the benchmark's GIL.

FakeSlack needs nothing from the process that made it: it is an in-memory workspace behind
its own HTTP server thread, so it runs standalone as is. `FakeHost` wraps one and adds the
summaries a benchmark polls (counts, not every recorded call, so little crosses the pipe). It
has the methods `sandbox.SlackPayloads` calls on a fake (`new_response_url`,
`issue_trigger_id`, `user`, `dm_channel`), so payloads are built against it as against an
in-process FakeSlack.
"""

from __future__ import annotations

import multiprocessing
import os
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.managers import BaseManager
from typing import Any, cast

from sandbox import FakeSlack

Json = dict[str, Any]
# What a morning plan DM's fallback text starts with (bot.render.checklist).
PLAN_TEXT = "Your plan for"
# Calls that deliver something a person sees: DMs, their updates, App Homes.
SENDS = ("chat.postMessage", "chat.update", "views.publish", "chat.postEphemeral")


class FakeHost:
    """One FakeSlack, served from the manager's process."""

    def __init__(self, team_id: str = "T0001") -> None:
        self._fake = FakeSlack(team_id=team_id).start()
        self._team_of: dict[str, str] = {}

    # --- setup ------------------------------------------------------------------------------

    def api_url(self) -> str:
        return self._fake.api_url

    def pid(self) -> int:
        return os.getpid()

    def add_users(self, user_ids: list[str], *, tz: str = "UTC", team_id: str = "") -> None:
        """People the app may look up and DM; `team_id` is their workspace for rate limits."""
        for user_id in user_ids:
            self._fake.add_user(user_id, tz=tz)
            self._team_of[user_id] = team_id or self._fake.team_id

    def limit_rate(self, method: str, calls: int, per: float = 1.0) -> None:
        """Slack's 429 beyond `calls` per `per` s in each workspace; a DM's workspace is its
        recipient's (the app in single-token mode posts to a user id)."""
        team_of, default = self._team_of, self._fake.team_id

        def workspace_of(args: Json) -> str:
            return team_of.get(str(args.get("channel", "")), default)

        self._fake.limit_rate(method, calls, per, workspace_of=workspace_of)

    def reset(self) -> None:
        self._fake.reset()

    def stop(self) -> None:
        self._fake.stop()

    # --- what sandbox.SlackPayloads asks of a fake ------------------------------------------

    def new_response_url(
        self, *, channel: str | None = None, user_id: str | None = None, ts: str | None = None
    ) -> str:
        return self._fake.new_response_url(channel=channel, user_id=user_id, ts=ts)

    def issue_trigger_id(self) -> str:
        return self._fake.issue_trigger_id()

    def user(self, user_id: str) -> Json | None:
        return self._fake.user(user_id)

    def dm_channel(self, user_id: str) -> str:
        return self._fake.dm_channel(user_id)

    def find_message(self, channel: str, ts: str) -> Json | None:
        return self._fake.find_message(channel, ts)

    # --- summaries --------------------------------------------------------------------------

    def cpu_seconds(self) -> float:
        """CPU time of this whole process (the fake's threads and the manager's)."""
        return time.process_time()

    def sends(self) -> int:
        """Answered calls that deliver something, plus response_url posts."""
        calls = self._fake.calls
        return sum(1 for c in calls if c.method in SENDS) + len(self._fake.responses)

    def traffic(self) -> dict[str, int]:
        """Calls by method (and HTTP status when not 200), response_url posts as `respond`."""
        counts = Counter(
            c.method if c.status == 200 else f"{c.method}:{c.status}" for c in self._fake.calls
        )
        counts["respond"] = len(self._fake.responses)
        return dict(counts)

    def violations(self) -> list[str]:
        return list(self._fake.violations)

    def plan_dms(self) -> tuple[dict[str, int], float | None, float | None, int]:
        """Plan DMs that landed, per recipient; the time of the first plan DM attempt and of
        the last one that landed; how many attempts Slack refused with 429."""
        landed: Counter[str] = Counter()
        first: float | None = None
        last: float | None = None
        refused = 0
        for call in self._fake.calls_to("chat.postMessage"):
            if not str(call.args.get("text", "")).startswith(PLAN_TEXT):
                continue
            first = call.at if first is None else min(first, call.at)
            if call.status == 429:
                refused += 1
            elif call.response.get("ok"):
                landed[str(call.args["channel"])] += 1
                last = call.at if last is None else max(last, call.at)
        return dict(landed), first, last, refused


class _Manager(BaseManager):
    pass


_Manager.register("FakeHost", FakeHost)


@contextmanager
def remote_fake(team_id: str = "T0001") -> Iterator[FakeHost]:
    """A FakeHost in a fresh process (spawned, so no thread of this one is forked); the
    proxy it yields forwards every method call."""
    manager = _Manager(ctx=multiprocessing.get_context("spawn"))
    manager.start()
    try:
        host = cast(FakeHost, manager.FakeHost(team_id))  # type: ignore[attr-defined]
        try:
            yield host
        finally:
            host.stop()
    finally:
        manager.shutdown()
