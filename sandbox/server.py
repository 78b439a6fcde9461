"""FakeSlack: a real HTTP server on 127.0.0.1 that behaves like a tiny Slack workspace.

Point a slack_sdk WebClient at `fake.api_url`. Every call is checked against Slack's published
spec and the Block Kit limits, recorded in `fake.calls`, and answered by an in-memory workspace.
Faults (5xx, 429, `ok: false`, slowness) can be queued per method to exercise retry paths, and
calls of a method can be held unanswered (`hold`) to stop the world at a chosen moment.
`apps.connections.open` (app-level token) starts `fake.socket_mode`, the Socket Mode endpoint.
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sandbox.endpoints import Endpoints
from sandbox.faults import Fault, RateWindow
from sandbox.holds import Hold
from sandbox.http_server import SlackHttpServer
from sandbox.oauth import OAuth
from sandbox.records import Call, Response, UploadedFile
from sandbox.socket_mode import SocketModeServer
from sandbox.spec import SlackSpec
from sandbox.users import APP_ID, User
from sandbox.workspace import Workspace

Json = dict[str, Any]
_MODAL_METHODS = frozenset({"views.open", "views.push", "views.update"})


class FakeSlack:
    """A tiny in-memory Slack behind real HTTP; see the module docstring."""

    def __init__(
        self,
        *,
        team_id: str = "T0001",
        clock: Callable[[], float] = time.time,
        spec: SlackSpec | None = None,
    ) -> None:
        self._clock = clock
        self._lock = threading.RLock()
        self._server = SlackHttpServer()
        self._thread: threading.Thread | None = None
        self.base_url = self._server.base_url
        self.api_url = f"{self.base_url}/api/"
        self.team_id = team_id
        self._workspace = Workspace(team_id=team_id, base_url=self.base_url, clock=clock)
        # Slack's side of installs: the authorize page, oauth.v2.access and per-team tokens.
        self.oauth = OAuth(default_team=team_id)
        self._endpoints = self._server.endpoints = Endpoints(
            workspace=self._workspace,
            spec=spec or SlackSpec.load(),
            clock=clock,
            lock=self._lock,
            base_url=self.base_url,
            socket_mode_url=lambda: self.socket_mode.issue_url(),
            oauth=self.oauth,
        )
        # The endpoints append to these very lists; reset() empties them in place.
        self.calls: list[Call] = self._endpoints.calls
        self.responses: list[Response] = self._endpoints.responses
        self.violations: list[str] = self._endpoints.violations
        self._socket_mode: SocketModeServer | None = None

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._thread is None:
            # A short poll interval keeps stop() fast (it waits for one poll).
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.02,), name="fake-slack", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        self._endpoints.holds.drop_all()  # a held caller learns at once that Slack is gone
        if self._socket_mode is not None:
            self._socket_mode.stop()
            self._socket_mode = None
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def socket_mode(self) -> SocketModeServer:
        """The Socket Mode endpoint, started on first use and stopped with the fake."""
        with self._lock:
            if self._socket_mode is None:
                self._socket_mode = SocketModeServer(
                    app_id=APP_ID, report=self._socket_mode_violation
                ).start()
            return self._socket_mode

    def _socket_mode_violation(self, problem: str) -> None:
        with self._lock:
            self.violations.append(f"socket_mode: {problem}")

    # --- workspace setup and inspection -----------------------------------------------------

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "UTC",
        is_admin: bool = False,
        is_owner: bool = False,
        is_bot: bool = False,
        deleted: bool = False,
        team_id: str | None = None,
    ) -> None:
        """A person of this fake's team, or of another workspace (`team_id`, see `oauth`)."""
        user = User(
            id=user_id,
            name=name or user_id.lower(),
            real_name=real_name or name or user_id,
            tz=tz,
            is_admin=is_admin,
            is_owner=is_owner,
            is_bot=is_bot,
            deleted=deleted,
        )
        with self._lock:
            self._workspace.users[user_id] = user
            self._workspace.user_teams[user_id] = team_id or self.team_id

    def user(self, user_id: str) -> Json | None:
        """The user as users.info returns it, or None if unknown."""
        with self._lock:
            user = self._workspace.users.get(user_id)
            team = self._workspace.user_teams.get(user_id, self.team_id)
            return user.to_slack(team, self._clock()) if user else None

    def dm_channel(self, user_id: str) -> str:
        return self._workspace.dm_channel(user_id)

    def messages(self, channel: str) -> list[Json]:
        """Current messages in a channel, oldest first (updates applied, deletions gone)."""
        with self._lock:
            return copy.deepcopy(self._workspace.messages.by_channel.get(channel, []))

    def dm_messages(self, user_id: str) -> list[Json]:
        return self.messages(self.dm_channel(user_id))

    def ephemerals(self, user_id: str) -> list[Json]:
        with self._lock:
            ephemerals = self._workspace.messages.ephemerals
            return copy.deepcopy([m for m in ephemerals if m["user"] == user_id])

    def find_message(self, channel: str, ts: str) -> Json | None:
        """A channel message or ephemeral message by channel and ts."""
        with self._lock:
            return copy.deepcopy(self._workspace.messages.find(channel, ts))

    def home(self, user_id: str) -> Json | None:
        """The last App Home view published for a user."""
        with self._lock:
            return copy.deepcopy(self._workspace.views.homes.get(user_id))

    def view(self, view_id: str) -> Json | None:
        """A view as Slack knows it (with id and hash), from views.open/push/update/publish."""
        with self._lock:
            return copy.deepcopy(self._workspace.views.by_id.get(view_id))

    def last_view(self) -> Json:
        """The view returned by the latest successful views.open/push/update call."""
        with self._lock:
            for call in reversed(self.calls):
                if call.method in _MODAL_METHODS and call.response.get("ok"):
                    return copy.deepcopy(call.response["view"])
        raise AssertionError("no view was opened")

    @property
    def files(self) -> list[UploadedFile]:
        with self._lock:
            return list(self._workspace.files.shared)

    def issue_trigger_id(self) -> str:
        """A trigger_id views.open accepts once, within 3 s (of `clock`) from now."""
        with self._lock:
            return self._workspace.interactions.issue_trigger()

    def new_response_url(
        self, *, channel: str | None = None, user_id: str | None = None, ts: str | None = None
    ) -> str:
        """A response_url; with channel+ts, replace_original/delete_original act on that message."""
        with self._lock:
            return self._workspace.interactions.new_response_url(
                channel=channel, user_id=user_id, ts=ts
            )

    def response_url_user(self, url: str) -> str | None:
        """The user a response_url was issued for (who sees what is posted to it)."""
        with self._lock:
            return self._workspace.interactions.response_url_user(url)

    # --- recorded traffic -------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def methods_called(self) -> set[str]:
        with self._lock:
            return {c.method for c in self.calls}

    def wait_until_quiet(self, quiet: float = 0.3, timeout: float = 15.0) -> None:
        """Wait until no call or response_url post has come for `quiet` seconds (an app's
        listeners keep working after their acknowledgement); TimeoutError after `timeout`."""
        deadline = time.monotonic() + timeout
        seen = -1
        while time.monotonic() < deadline:
            with self._lock:
                now_seen = len(self.calls) + len(self.responses)
            if now_seen == seen:
                return
            seen = now_seen
            time.sleep(quiet)  # the quiet spell itself: what is waited for is an absence
        raise TimeoutError(f"the app was still calling Slack after {timeout:g} s")

    def assert_no_violations(self) -> None:
        with self._lock:
            if self.violations:
                raise AssertionError("Slack API violations:\n" + "\n".join(self.violations))

    def reset(self) -> None:
        """Forget calls, responses, violations, faults and rate limits; keep the workspace."""
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.violations.clear()
            self._endpoints.faults.clear()

    # --- fault injection (consumed in order, one per call to that method) --------------------

    def fail(self, method: str, status: int = 500, times: int = 1) -> None:
        self._endpoints.faults.queue(method, Fault(status=status, error="fatal_error"), times)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        fault = Fault(status=429, error="ratelimited", retry_after=retry_after)
        self._endpoints.faults.queue(method, fault, times)

    def error(self, method: str, error: str = "user_not_found", times: int = 1) -> None:
        self._endpoints.faults.queue(method, Fault(error=error), times)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        self._endpoints.faults.queue(method, Fault(delay=seconds), times)

    def limit_rate(
        self,
        method: str,
        calls: int,
        per: float = 1.0,
        *,
        workspace_of: Callable[[Json], str] | None = None,
    ) -> None:
        """From now on, answer 429 with Retry-After beyond `calls` calls of `method` per `per`
        seconds (a sliding window) in one workspace, as Slack's rate limits do. A call's
        workspace is `workspace_of(args)`; by default every call is this fake's one team."""
        window = RateWindow(
            limit=calls,
            window=per,
            workspace_of=workspace_of or (lambda _args: self.team_id),
            clock=self._clock,
        )
        self._endpoints.faults.limit(method, window)

    def hold(self, method: str) -> Hold:
        """Hold every call of `method` unanswered until the returned hold is released or
        dropped (sandbox.holds says what each means for `calls`)."""
        return self._endpoints.holds.hold(method)
