"""SlackSide: plays Slack towards the app, sending signed requests to its HTTP endpoint.

Trigger ids and response URLs come from the FakeSlack the app talks to, so the app's follow-up
calls (views.open, respond()) are checked against what Slack really issued. SlackPayloads
(sandbox.payloads) builds what Slack sends; SlackSide and SocketModeSide (sandbox.socket_side)
only deliver it.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import http.client
import json
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

from sandbox.elements import find_element, option_for, view_state_values
from sandbox.payloads import SlackPayloads
from sandbox.server import FakeSlack

Json = dict[str, Any]
_FORM = "application/x-www-form-urlencoded"


@dataclass(frozen=True)
class SlackResult:
    """The app's HTTP answer to one request from Slack."""

    status: int
    body: str
    json: Any
    response_url: str | None = None
    trigger_id: str | None = None


class SlackSide(SlackPayloads):
    def __init__(
        self,
        events_url: str,
        signing_secret: str,
        fake: FakeSlack,
        team_id: str = "T0001",
        team_domain: str = "acme",
        *,
        verification_token: str = "sandbox-verification-token",
        timeout: float = 10.0,
        enterprise_id: str | None = None,
        org_wide: bool = False,
    ) -> None:
        super().__init__(
            fake,
            team_id,
            team_domain,
            verification_token=verification_token,
            enterprise_id=enterprise_id,
            org_wide=org_wide,
        )
        self.events_url = events_url
        self.signing_secret = signing_secret
        self.timeout = timeout

    # --- signing and transport --------------------------------------------------------------

    def signature(self, timestamp: str, body: str | bytes) -> str:
        """`X-Slack-Signature` as Slack signs every request: `v0=` and the hex HMAC-SHA256,
        keyed with the signing secret, of `v0:{timestamp}:` followed by the raw body bytes."""
        raw = body.encode() if isinstance(body, str) else body
        base = b"v0:" + timestamp.encode() + b":" + raw
        return "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()

    def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> SlackResult:
        """Send a signed body; override timestamp/signature to test the app's verification."""
        ts = str(int(time.time()) if timestamp is None else timestamp)
        request = urllib.request.Request(
            self.events_url,
            data=body.encode(),
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": ts,
                "X-Slack-Signature": signature or self.signature(ts, body),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                status, text = response.status, response.read().decode()
        except urllib.error.HTTPError as err:
            status, text = err.code, err.read().decode()
        return SlackResult(status, text, _maybe_json(text))

    def post_raw(
        self,
        body: bytes,
        headers: Mapping[str, str] | Sequence[tuple[str, str]] = (),
        *,
        sign: bool = False,
        timestamp: int | None = None,
        chunked: bool = False,
    ) -> SlackResult:
        """Send exactly `body` with exactly `headers` (in order, repeats kept), as no
        well-behaved client would: bytes that are not UTF-8, a body over 1 MiB, a timestamp
        that is not a number. A Content-Length is added unless given, or `chunked` sends the
        body in chunks of unannounced total length. `sign` adds Slack's timestamp and
        signature over the raw bytes. A server that answers before reading the whole body
        (a 413) is heard out: its answer is returned all the same."""
        pairs = list(headers.items() if isinstance(headers, Mapping) else headers)
        if sign:
            ts = str(int(time.time()) if timestamp is None else timestamp)
            pairs += [
                ("X-Slack-Request-Timestamp", ts),
                ("X-Slack-Signature", self.signature(ts, body)),
            ]
        if chunked:
            pairs.append(("Transfer-Encoding", "chunked"))
            body = _chunked(body)
        elif "content-length" not in {name.lower() for name, _ in pairs}:
            pairs.append(("Content-Length", str(len(body))))
        url = urlsplit(self.events_url)
        connection = http.client.HTTPConnection(url.hostname or "", url.port, timeout=self.timeout)
        try:
            connection.putrequest("POST", url.path, skip_accept_encoding=True)
            for name, value in pairs:
                connection.putheader(name, value.encode("latin-1"))
            connection.endheaders()
            # Refused mid-body: the answer was sent before the server hung up.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                connection.send(body)
            response = connection.getresponse()
            status, text = response.status, response.read().decode(errors="replace")
        finally:
            connection.close()
        return SlackResult(status, text, _maybe_json(text))

    def _post_payload(
        self, payload: Json, timestamp: int | None, signature: str | None
    ) -> SlackResult:
        body = urlencode({"payload": json.dumps(payload)})
        return self.post(body, _FORM, timestamp=timestamp, signature=signature)

    # --- slash commands ---------------------------------------------------------------------

    def command(
        self,
        text: str,
        *,
        user_id: str,
        command: str = "/aor",
        channel_id: str = "C0001",
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> SlackResult:
        form = self.command_form(text, user_id=user_id, command=command, channel_id=channel_id)
        result = self.post(urlencode(form), _FORM, timestamp=timestamp, signature=signature)
        return _with_ids(result, form["response_url"], form["trigger_id"])

    # --- interactivity ----------------------------------------------------------------------

    def block_action(
        self,
        *,
        user_id: str,
        action: Mapping[str, Any],
        message: Mapping[str, Any] | None = None,
        channel_id: str | None = None,
        view: Mapping[str, Any] | None = None,
        container: Mapping[str, Any] | None = None,
        state: Mapping[str, Any] | None = None,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> SlackResult:
        """Send a `block_actions` payload for a click in a message (channel_id) or a view."""
        payload = self.block_actions_payload(
            user_id=user_id,
            action=action,
            message=message,
            channel_id=channel_id,
            view=view,
            container=container,
            state=state,
        )
        result = self._post_payload(payload, timestamp, signature)
        return _with_ids(result, payload.get("response_url"), payload["trigger_id"])

    def click_button(
        self,
        *,
        user_id: str,
        channel: str,
        ts: str,
        action_id: str,
        value: str,
        block_id: str | None = None,
        state: Json | None = None,
    ) -> SlackResult:
        """Click a button in a message the app posted (found in the fake by channel and ts);
        `state` is `state.values` of the message's inputs at the time of the click."""
        message = self._message(channel, ts)
        found_block_id, button = find_element(message, action_id=action_id, value=value)
        action = {
            "type": "button",
            "action_id": action_id,
            "block_id": block_id or found_block_id,
            "text": button.get("text"),
            "value": value,
            **({"style": button["style"]} if "style" in button else {}),
        }
        return self._act_in_message(user_id, channel, message, action, state=state)

    def check_boxes(
        self,
        *,
        user_id: str,
        channel: str,
        ts: str,
        action_id: str,
        block_id: str,
        selected_values: list[str],
        action_ts: str | None = None,
    ) -> SlackResult:
        """Change a checkboxes element in a message so exactly `selected_values` are checked
        (`action_ts`: when the click happened, default now)."""
        message = self._message(channel, ts)
        found_block_id, element = find_element(message, action_id=action_id)
        if found_block_id != block_id:
            raise AssertionError(f"{action_id!r} is in block {found_block_id!r}, not {block_id!r}")
        selected = [option_for(element, v) for v in selected_values]
        action = {
            "type": "checkboxes",
            "action_id": action_id,
            "block_id": block_id,
            "selected_options": selected,
            **({"action_ts": action_ts} if action_ts else {}),
        }
        state = {block_id: {action_id: {"type": "checkboxes", "selected_options": selected}}}
        return self._act_in_message(user_id, channel, message, action, state=state)

    def _act_in_message(
        self,
        user_id: str,
        channel: str,
        message: Json,
        action: Json,
        state: Json | None,
    ) -> SlackResult:
        # Slack does not attach ephemeral messages to the payload, only the container says so.
        ephemeral = bool(message.get("is_ephemeral"))
        container = {
            "type": "message",
            "message_ts": message["ts"],
            "channel_id": channel,
            "is_ephemeral": ephemeral,
        }
        return self.block_action(
            user_id=user_id,
            action=action,
            message=None if ephemeral else message,
            channel_id=channel,
            container=container,
            state=state,
        )

    def view_submission(
        self,
        *,
        user_id: str,
        view: Mapping[str, Any],
        values: Mapping[str, Any],
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> SlackResult:
        """Submit a view the app opened; `values` is Slack's `{block_id: {action_id: state}}`."""
        payload = self.view_submission_payload(user_id=user_id, view=view, values=values)
        result = self._post_payload(payload, timestamp, signature)
        return _with_ids(result, None, payload["trigger_id"])

    def submit_view(
        self, *, user_id: str, answers: Mapping[str, Any], view: Mapping[str, Any] | None = None
    ) -> SlackResult:
        """Fill and submit a view (default: the last one the app opened) by action_id answers."""
        view = view if view is not None else self.fake.last_view()
        values = view_state_values(view, answers)
        return self.view_submission(user_id=user_id, view=view, values=values)

    # --- events -----------------------------------------------------------------------------

    def event(
        self,
        event: Mapping[str, Any],
        *,
        timestamp: int | None = None,
        signature: str | None = None,
    ) -> SlackResult:
        """An Events API `event_callback` envelope around `event`."""
        body = json.dumps(self.event_callback(event))
        return self.post(body, "application/json", timestamp=timestamp, signature=signature)

    def app_home_opened(self, user_id: str) -> SlackResult:
        return self.event(self.app_home_opened_event(user_id))

    # --- helpers ----------------------------------------------------------------------------

    def _message(self, channel: str, ts: str) -> Json:
        message = self.fake.find_message(channel, ts)
        if message is None:
            raise AssertionError(f"no message {ts} in {channel}: {self.fake.messages(channel)}")
        return message


def _chunked(body: bytes, size: int = 1 << 16) -> bytes:
    """HTTP/1.1 chunked transfer coding (RFC 9112 section 7.1) of a whole body."""
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


def _with_ids(result: SlackResult, response_url: str | None, trigger_id: str) -> SlackResult:
    return SlackResult(result.status, result.body, result.json, response_url, trigger_id)


def _maybe_json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None
