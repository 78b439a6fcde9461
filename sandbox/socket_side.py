"""SocketModeSide: plays Slack towards an app connected to `fake.socket_mode`.

It sends the same bodies SlackSide posts over HTTP, wrapped in Socket Mode envelopes, and waits
for the app's ack: for a command, the ack's payload is what the app passed to `ack()`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sandbox.payloads import SlackPayloads
from sandbox.server import FakeSlack

Json = dict[str, Any]


@dataclass(frozen=True)
class SocketResult:
    """The app's ack of one envelope."""

    envelope_id: str
    payload: Json
    response_url: str | None = None
    trigger_id: str | None = None


class SocketModeSide(SlackPayloads):
    def __init__(self, fake: FakeSlack, team_id: str = "T0001", *, timeout: float = 5.0) -> None:
        super().__init__(fake, team_id)
        self.timeout = timeout

    def command(
        self, text: str, *, user_id: str, command: str = "/aor", channel_id: str = "C0001"
    ) -> SocketResult:
        form = self.command_form(text, user_id=user_id, command=command, channel_id=channel_id)
        envelope_id = self.fake.socket_mode.send_envelope("slash_commands", form)
        payload = self.fake.socket_mode.wait_ack(envelope_id, self.timeout)
        return SocketResult(envelope_id, payload, form["response_url"], form["trigger_id"])

    def event(self, event: Mapping[str, Any]) -> SocketResult:
        body = self.event_callback(event)
        envelope_id = self.fake.socket_mode.send_envelope("events_api", body)
        return SocketResult(envelope_id, self.fake.socket_mode.wait_ack(envelope_id, self.timeout))

    def app_home_opened(self, user_id: str) -> SocketResult:
        return self.event(self.app_home_opened_event(user_id))
