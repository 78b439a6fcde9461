"""Playing Slack towards an app under load: request bodies built ahead (so building them is
not timed), signed and sent over keep-alive connections from a bounded thread pool, each
answer's status and latency recorded.

Bodies are `sandbox.SlackPayloads`' (the shapes SlackSide sends), with trigger_ids and
response_urls issued by the fake Slack the app talks to.
"""

from __future__ import annotations

import http.client
import json
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, cast
from urllib.parse import urlencode, urlsplit

from slack_sdk.signature import SignatureVerifier

from bench.remote_fake import FakeHost
from bot.core.ids import decide_action_id, decide_value
from sandbox import FakeSlack
from sandbox.elements import find_element
from sandbox.payloads import SlackPayloads
from storage.enums import Decision

FORM = "application/x-www-form-urlencoded"
EVENTS_PATH = "/slack/events"
# A connection the server closed while idle fails before any answer: resent once, not counted.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError)


@dataclass(frozen=True)
class Request:
    kind: str
    body: str
    content_type: str = FORM


@dataclass(frozen=True)
class Outcome:
    kind: str
    status: int  # 0: no HTTP answer (timeout, refused)
    latency: float  # seconds from sending the request to reading the whole answer
    done_at: float  # time.perf_counter() when the answer was read


@dataclass(frozen=True)
class LoadRound:
    outcomes: list[Outcome]
    started: float  # time.perf_counter()
    elapsed: float  # first request sent to last answer read
    resent: int  # requests resent once on a fresh connection (idle close by the server)

    @property
    def rps(self) -> float:
        return len(self.outcomes) / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def errors(self) -> int:
        return sum(1 for o in self.outcomes if o.status != 200)

    @property
    def last_answer(self) -> float:
        return max(o.done_at for o in self.outcomes)

    def latencies(self, kind: str | None = None) -> list[float]:
        return [o.latency for o in self.outcomes if kind is None or o.kind == kind]


class Payloads:
    """Request bodies as Slack builds them, against a fake in another process."""

    def __init__(self, host: FakeHost, team_id: str) -> None:
        self.host = host
        # The proxy has every method SlackPayloads calls on a FakeSlack.
        self._slack = SlackPayloads(cast(FakeSlack, host), team_id)

    def command(self, kind: str, text: str, *, user_id: str, channel_id: str = "C0001") -> Request:
        form = self._slack.command_form(text, user_id=user_id, channel_id=channel_id)
        return Request(kind, urlencode(form))

    def decide(
        self, *, user_id: str, assignment_id: int, channel: str, ts: str, decision: Decision
    ) -> Request:
        """A click on a decision button of an approval DM, as SlackSide.click_button sends."""
        message = self._message(channel, ts)
        action_id, value = decide_action_id(decision), decide_value(assignment_id)
        block_id, button = find_element(message, action_id=action_id, value=value)
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id,
            "text": button.get("text"),
            "value": value,
            **({"style": button["style"]} if "style" in button else {}),
        }
        return self._action("decide", user_id, channel, message, action, state=None)

    def tick(self, *, user_id: str, channel: str, ts: str, round_index: int) -> Request:
        """A change of the checklist's first checkboxes element: the first `round_index + 1`
        options ticked, so every round changes something."""
        message = self._message(channel, ts)
        block = next(b for b in message["blocks"] if b["type"] == "actions")
        element = block["elements"][0]
        options = element["options"]
        selected = options[: round_index % len(options) + 1]
        action = {
            "type": "checkboxes",
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "selected_options": selected,
        }
        state = {
            block["block_id"]: {
                element["action_id"]: {"type": "checkboxes", "selected_options": selected}
            }
        }
        return self._action("tick", user_id, channel, message, action, state=state)

    def _message(self, channel: str, ts: str) -> dict[str, Any]:
        message = self.host.find_message(channel, ts)
        if message is None:
            raise RuntimeError(f"the fake Slack has no message {ts} in {channel}")
        return message

    def _action(
        self,
        kind: str,
        user_id: str,
        channel: str,
        message: dict[str, Any],
        action: dict[str, Any],
        state: dict[str, Any] | None,
    ) -> Request:
        container = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": False,
        }
        payload = self._slack.block_actions_payload(
            user_id=user_id,
            action=action,
            message=message,
            channel_id=channel,
            container=container,
            state=state,
        )
        return Request(kind, urlencode({"payload": json.dumps(payload)}))


class Sender:
    """One keep-alive connection to the app; signs each body when it sends it."""

    def __init__(self, base_url: str, signing_secret: str, timeout: float = 10.0) -> None:
        parts = urlsplit(base_url)
        self._host, self._port = parts.hostname or "127.0.0.1", parts.port or 80
        self._timeout = timeout
        self._signer = SignatureVerifier(signing_secret)
        self._conn: http.client.HTTPConnection | None = None
        self.resent = 0

    def send(self, request: Request) -> Outcome:
        timestamp = str(int(time.time()))
        headers = {
            "Content-Type": request.content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": self._signer.generate_signature(
                timestamp=timestamp, body=request.body
            )
            or "",
        }
        body = request.body.encode()
        started = time.perf_counter()
        reused = self._conn is not None
        try:
            status = self._exchange(body, headers)
        except _STALE:
            self.close()
            if not reused:
                status = 0
            else:
                self.resent += 1
                started = time.perf_counter()
                try:
                    status = self._exchange(body, headers)
                except (OSError, http.client.HTTPException):
                    self.close()
                    status = 0
        except (OSError, http.client.HTTPException):
            self.close()
            status = 0
        done = time.perf_counter()
        return Outcome(request.kind, status, done - started, done)

    def _exchange(self, body: bytes, headers: dict[str, str]) -> int:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self._host, self._port, timeout=self._timeout)
        self._conn.request("POST", EVENTS_PATH, body=body, headers=headers)
        response = self._conn.getresponse()
        response.read()
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


def run_load(
    base_url: str, signing_secret: str, requests: Sequence[Request], *, concurrency: int
) -> LoadRound:
    """Send every request, at most `concurrency` at a time, each thread on its own
    connection; returns when the last answer is read (each request times out after 10 s)."""
    local = threading.local()
    senders: list[Sender] = []
    lock = threading.Lock()

    def send(request: Request) -> Outcome:
        sender: Sender | None = getattr(local, "sender", None)
        if sender is None:
            sender = local.sender = Sender(base_url, signing_secret)
            with lock:
                senders.append(sender)
        return sender.send(request)

    with ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix="load") as pool:
        started = time.perf_counter()
        outcomes = list(pool.map(send, requests))
    for sender in senders:
        sender.close()
    elapsed = max((o.done_at for o in outcomes), default=started) - started
    return LoadRound(outcomes, started, elapsed, sum(s.resent for s in senders))
