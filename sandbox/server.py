"""FakeSlack: a real HTTP server on 127.0.0.1 that behaves like a tiny Slack workspace.

Point a slack_sdk WebClient at `fake.api_url`. Every call is checked against Slack's published
spec and the Block Kit limits, recorded in `fake.calls`, and answered by an in-memory workspace.
Faults (5xx, 429, `ok: false`, slowness) can be queued per method to exercise retry paths.
`apps.connections.open` (app-level token) starts `fake.socket_mode`, the Socket Mode endpoint.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

from sandbox.bodies import api_args, upload_content
from sandbox.limits import RESPONSE_URL, VIEW_METHODS, block_kit_violations
from sandbox.records import Call, Response, UploadedFile
from sandbox.socket_mode import SocketModeServer
from sandbox.spec import SlackSpec, check_auth
from sandbox.workspace import APP_ID, User, Workspace

Json = dict[str, Any]
_MODAL_METHODS = frozenset({"views.open", "views.push", "views.update"})


@dataclass(frozen=True)
class _Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


@dataclass(frozen=True)
class _Reply:
    status: int
    body: Json | str
    headers: dict[str, str]


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
        self._spec = spec or SlackSpec.load()
        self._lock = threading.RLock()
        # Binding here (port 0 = any free port) makes the URLs known before start().
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        self._thread: threading.Thread | None = None
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self.api_url = f"{self.base_url}/api/"
        self.team_id = team_id
        self._workspace = Workspace(team_id=team_id, base_url=self.base_url, clock=clock)
        self._faults: defaultdict[str, deque[_Fault]] = defaultdict(deque)
        self.calls: list[Call] = []
        self.responses: list[Response] = []
        self.violations: list[str] = []
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
    ) -> None:
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

    def user(self, user_id: str) -> Json | None:
        """The user as users.info returns it, or None if unknown."""
        with self._lock:
            user = self._workspace.users.get(user_id)
            return user.to_slack(self.team_id, self._clock()) if user else None

    def dm_channel(self, user_id: str) -> str:
        return self._workspace.dm_channel(user_id)

    def messages(self, channel: str) -> list[Json]:
        """Current messages in a channel, oldest first (updates applied, deletions gone)."""
        with self._lock:
            return copy.deepcopy(self._workspace.messages.get(channel, []))

    def dm_messages(self, user_id: str) -> list[Json]:
        return self.messages(self.dm_channel(user_id))

    def ephemerals(self, user_id: str) -> list[Json]:
        with self._lock:
            return copy.deepcopy([m for m in self._workspace.ephemerals if m["user"] == user_id])

    def find_message(self, channel: str, ts: str) -> Json | None:
        """A channel message or ephemeral message by channel and ts."""
        with self._lock:
            return copy.deepcopy(self._workspace.find_message(channel, ts))

    def home(self, user_id: str) -> Json | None:
        """The last App Home view published for a user."""
        with self._lock:
            return copy.deepcopy(self._workspace.homes.get(user_id))

    def view(self, view_id: str) -> Json | None:
        """A view as Slack knows it (with id and hash), from views.open/push/update/publish."""
        with self._lock:
            return copy.deepcopy(self._workspace.views.get(view_id))

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
            return list(self._workspace.files)

    def issue_trigger_id(self) -> str:
        """A trigger_id views.open accepts once, within 3 s (of `clock`) from now."""
        with self._lock:
            return self._workspace.issue_trigger()

    def new_response_url(
        self, *, channel: str | None = None, user_id: str | None = None, ts: str | None = None
    ) -> str:
        """A response_url; with channel+ts, replace_original/delete_original act on that message."""
        with self._lock:
            return self._workspace.new_response_url(channel=channel, user_id=user_id, ts=ts)

    def response_url_user(self, url: str) -> str | None:
        """The user a response_url was issued for (who sees what is posted to it)."""
        with self._lock:
            return self._workspace.response_url_user(url)

    # --- recorded traffic -------------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def methods_called(self) -> set[str]:
        with self._lock:
            return {c.method for c in self.calls}

    def assert_no_violations(self) -> None:
        with self._lock:
            if self.violations:
                raise AssertionError("Slack API violations:\n" + "\n".join(self.violations))

    def reset(self) -> None:
        """Forget calls, responses, violations and queued faults; keep the workspace."""
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self.violations.clear()
            self._faults.clear()

    # --- fault injection (consumed in order, one per call to that method) --------------------

    def fail(self, method: str, status: int = 500, times: int = 1) -> None:
        self._queue(method, _Fault(status=status, error="fatal_error"), times)

    def rate_limit(self, method: str, retry_after: int = 1, times: int = 1) -> None:
        self._queue(method, _Fault(status=429, error="ratelimited", retry_after=retry_after), times)

    def error(self, method: str, error: str = "user_not_found", times: int = 1) -> None:
        self._queue(method, _Fault(error=error), times)

    def delay(self, method: str, seconds: float, times: int = 1) -> None:
        self._queue(method, _Fault(delay=seconds), times)

    def _queue(self, method: str, fault: _Fault, times: int) -> None:
        with self._lock:
            self._faults[method].extend([fault] * times)

    def _take_fault(self, name: str) -> _Fault | None:
        """The next queued fault for `name`; a delay is served here and then the call proceeds."""
        with self._lock:
            queue = self._faults.get(name)
            fault = queue.popleft() if queue else None
        if fault is not None and fault.delay:
            time.sleep(fault.delay)
            return None
        return fault

    # --- request handling (called from server threads) ---------------------------------------

    def _handle_api(self, method: str, query: str, headers: Message, body: bytes) -> _Reply:
        try:
            args = api_args(query, headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError) as err:
            return self._answer(method, {}, {"ok": False, "error": "invalid_form_data"}, [str(err)])
        fault = self._take_fault(method)
        if fault is not None:
            response = {"ok": False, "error": fault.error}
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return self._answer(method, args, response, [], status=fault.status, headers=extra)
        auth = check_auth(headers.get("Authorization"), method)
        spec = self._spec.check(method, args)
        kit = block_kit_violations(method, args)
        if auth:
            error = "not_authed" if not headers.get("Authorization") else "invalid_auth"
        elif spec:
            error = "unknown_method" if not self._spec.has(method) else "invalid_arguments"
        elif kit:
            error = "invalid_arguments" if method in VIEW_METHODS else "invalid_blocks"
        elif method == "apps.connections.open":
            # Answered here, not by the workspace: the URL points at the Socket Mode endpoint.
            return self._answer(method, args, {"ok": True, "url": self.socket_mode.issue_url()}, [])
        else:
            with self._lock:
                response, problems = self._workspace.handle(method, args)
                return self._answer(method, args, response, problems)
        return self._answer(method, args, {"ok": False, "error": error}, auth + spec + kit)

    def _answer(
        self,
        method: str,
        args: Json,
        response: Json,
        problems: list[str],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
    ) -> _Reply:
        with self._lock:
            self.calls.append(Call(method, args, copy.deepcopy(response), self._clock(), status))
            self.violations.extend(f"{method}: {p}" for p in problems)
        return _Reply(status, response, headers or {})

    def _handle_response_url(self, path: str, headers: Message, body: bytes) -> _Reply:
        fault = self._take_fault(RESPONSE_URL)
        if fault is not None:
            return _Reply(fault.status, fault.error or "", {})
        url = f"{self.base_url}{path}"
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        with self._lock:
            if not isinstance(payload, dict):
                self.violations.append(f"{RESPONSE_URL}: body is not a JSON object")
                return _Reply(400, "invalid_payload", {})
            self.responses.append(Response(url, payload, self._clock()))
            kit = block_kit_violations(RESPONSE_URL, payload)
            if kit:
                self.violations.extend(f"{RESPONSE_URL}: {p}" for p in kit)
                return _Reply(400, "invalid_blocks", {})
            status, problems = self._workspace.respond(url, payload)
            self.violations.extend(f"{RESPONSE_URL}: {p}" for p in problems)
        return _Reply(status, "ok" if status == 200 else "no_service", {})

    def _handle_upload(self, file_id: str, headers: Message, body: bytes) -> _Reply:
        try:
            content = upload_content(headers.get("Content-Type", ""), body)
        except ValueError as err:
            with self._lock:
                self.violations.append(f"upload: {err}")
            return _Reply(400, "invalid upload", {})
        with self._lock:
            status, problems = self._workspace.upload(file_id, content)
            self.violations.extend(f"upload: {p}" for p in problems)
        return _Reply(status, f"OK - {len(content)}" if status == 200 else "not found", {})


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # a delayed (fault-injected) answer must not block stop()
    fake: FakeSlack


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        kind, _, rest = url.path.lstrip("/").partition("/")
        fake = self.server.fake
        if kind == "api":
            reply = fake._handle_api(rest, url.query, self.headers, body)
        elif kind == "respond":
            reply = fake._handle_response_url(url.path, self.headers, body)
        elif kind == "upload":
            reply = fake._handle_upload(rest, self.headers, body)
        else:
            reply = _Reply(404, "not found", {})
        self._send(reply)

    def _send(self, reply: _Reply) -> None:
        is_json = isinstance(reply.body, dict)
        data = (json.dumps(reply.body) if is_json else str(reply.body)).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json" if is_json else "text/plain")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. timed out on an injected delay)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; the fake records calls itself."""
