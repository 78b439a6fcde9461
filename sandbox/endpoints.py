"""What FakeSlack answers at each of its URLs (Web API methods, response_urls, upload URLs),
and the record of it: every answered call, every response_url post, every violation.

Called from the HTTP server's threads; one lock (FakeSlack's) serialises the workspace.
"""

from __future__ import annotations

import copy
import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message
from typing import Any

from sandbox.bodies import api_args, upload_content
from sandbox.errors import SlackError
from sandbox.faults import Faults
from sandbox.holds import Holds
from sandbox.limits import RESPONSE_URL, VIEW_METHODS, block_kit_violations
from sandbox.oauth import OAuth
from sandbox.records import Call, Response
from sandbox.spec import SlackSpec, check_auth
from sandbox.workspace import Workspace

Json = dict[str, Any]


@dataclass(frozen=True)
class Reply:
    status: int
    body: Json | str
    headers: dict[str, str]


class Endpoints:
    def __init__(
        self,
        *,
        workspace: Workspace,
        spec: SlackSpec,
        clock: Callable[[], float],
        lock: threading.RLock,
        base_url: str,
        socket_mode_url: Callable[[], str],
        oauth: OAuth,
    ) -> None:
        self._workspace = workspace
        self.oauth = oauth
        self._spec = spec
        self._clock = clock
        self._lock = lock
        self._base_url = base_url
        self._socket_mode_url = socket_mode_url
        self.faults = Faults()
        self.holds = Holds(clock)
        self.calls: list[Call] = []
        self.responses: list[Response] = []
        self.violations: list[str] = []

    def route(self, path: str, query: str, headers: Message, body: bytes) -> Reply | None:
        """The answer to one request; None: close the connection unanswered (a dropped hold)."""
        kind, _, rest = path.lstrip("/").partition("/")
        if kind == "api":
            return self.api(rest, query, headers, body)
        if kind == "respond":
            return self.response_url(path, body)
        if kind == "upload":
            return self.upload(rest, headers, body)
        if kind == "oauth":
            with self._lock:
                page = self.oauth.page(rest, query)
            return Reply(page.status, page.body, page.headers)
        return Reply(404, "not found", {})

    def api(self, method: str, query: str, headers: Message, body: bytes) -> Reply | None:
        try:
            args = api_args(query, headers.get("Content-Type", ""), body)
        except (ValueError, UnicodeDecodeError) as err:
            return self._answer(method, {}, {"ok": False, "error": "invalid_form_data"}, [str(err)])
        if not self.holds.admit(method, args):
            return None
        fault = self.faults.take(method, args)
        if fault is not None:
            response = {"ok": False, "error": fault.error}
            extra = {"Retry-After": str(fault.retry_after)} if fault.retry_after is not None else {}
            return self._answer(method, args, response, [], status=fault.status, headers=extra)
        if method == "oauth.v2.access":
            return self._oauth_access(headers.get("Authorization"), args)
        auth = check_auth(headers.get("Authorization"), method)
        token = (headers.get("Authorization") or "").removeprefix("Bearer ") or None
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
            return self._answer(method, args, {"ok": True, "url": self._socket_mode_url()}, [])
        else:
            with self._lock:
                grant = self.oauth.grant(token or "")
                if grant is not None and grant.revoked:
                    return self._answer(method, args, {"ok": False, "error": "token_revoked"}, [])
                if method == "auth.test":
                    return self._answer(method, args, self.oauth.auth_test(grant), [], token=token)
                teams = self.oauth.teams_of(grant)
                response, problems = self._workspace.handle(method, args, teams)
                return self._answer(method, args, response, problems, token=token)
        return self._answer(method, args, {"ok": False, "error": error}, auth + spec + kit)

    def _oauth_access(self, authorization: str | None, args: Json) -> Reply:
        spec = self._spec.check("oauth.v2.access", args)
        if spec:
            return self._answer(
                "oauth.v2.access", args, {"ok": False, "error": "invalid_arguments"}, spec
            )
        with self._lock:
            try:
                response = self.oauth.access(authorization, args)
            except SlackError as err:
                response = {"ok": False, "error": err.error}
        return self._answer("oauth.v2.access", args, response, [])

    def _answer(
        self,
        method: str,
        args: Json,
        response: Json,
        problems: list[str],
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        token: str | None = None,
    ) -> Reply:
        with self._lock:
            answer = copy.deepcopy(response)
            self.calls.append(Call(method, args, answer, self._clock(), status, token))
            self.violations.extend(f"{method}: {p}" for p in problems)
        return Reply(status, response, headers or {})

    def response_url(self, path: str, body: bytes) -> Reply:
        fault = self.faults.take(RESPONSE_URL)
        if fault is not None:
            return Reply(fault.status, fault.error or "", {})
        url = f"{self._base_url}{path}"
        try:
            payload = json.loads(body)
        except ValueError:
            payload = None
        with self._lock:
            if not isinstance(payload, dict):
                self.violations.append(f"{RESPONSE_URL}: body is not a JSON object")
                return Reply(400, "invalid_payload", {})
            self.responses.append(Response(url, payload, self._clock()))
            kit = block_kit_violations(RESPONSE_URL, payload)
            if kit:
                self.violations.extend(f"{RESPONSE_URL}: {p}" for p in kit)
                return Reply(400, "invalid_blocks", {})
            status, problems = self._workspace.interactions.respond(url, payload)
            self.violations.extend(f"{RESPONSE_URL}: {p}" for p in problems)
        return Reply(status, "ok" if status == 200 else "no_service", {})

    def upload(self, file_id: str, headers: Message, body: bytes) -> Reply:
        try:
            content = upload_content(headers.get("Content-Type", ""), body)
        except ValueError as err:
            with self._lock:
                self.violations.append(f"upload: {err}")
            return Reply(400, "invalid upload", {})
        with self._lock:
            status, problems = self._workspace.files.upload(file_id, content)
            self.violations.extend(f"upload: {p}" for p in problems)
        return Reply(status, f"OK - {len(content)}" if status == 200 else "not found", {})
