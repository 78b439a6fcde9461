"""What Slack hands an app with each interaction, and the rules for using it: a trigger_id
(once, within 3 s) and a response_url (5 posts, within 30 minutes)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.errors import SlackError
from sandbox.messages import Messages

TRIGGER_TTL_SECONDS = 3.0  # Slack's documented lifetime of a trigger_id
RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5

Json = dict[str, Any]


@dataclass
class _Trigger:
    issued_at: float
    used: bool = False


@dataclass
class _ResponseLink:
    """Where a response_url's posts land: the command's channel/user or the clicked message."""

    channel: str | None
    user_id: str | None
    ts: str | None
    issued_at: float
    uses: int = 0


class Interactions:
    def __init__(
        self,
        *,
        team_id: str,
        base_url: str,
        clock: Callable[[], float],
        seq: Iterator[int],
        messages: Messages,
    ) -> None:
        self.team_id = team_id
        self._base_url = base_url
        self._clock = clock
        self._seq = seq
        self._messages = messages
        self._triggers: dict[str, _Trigger] = {}
        self._links: dict[str, _ResponseLink] = {}

    def issue_trigger(self) -> str:
        trigger_id = f"{next(self._seq)}.{self.team_id}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(issued_at=self._clock())
        return trigger_id

    def use_trigger(self, trigger_id: str | None) -> None:
        trigger = self._triggers.get(trigger_id or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id", f"trigger_id {trigger_id!r} was never issued")
        if trigger.used:
            raise SlackError("exchanged_trigger_id", f"trigger_id {trigger_id!r} used twice")
        if self._clock() - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError(
                "expired_trigger_id", f"trigger_id used after {TRIGGER_TTL_SECONDS:g} s"
            )
        trigger.used = True

    def new_response_url(self, *, channel: str | None, user_id: str | None, ts: str | None) -> str:
        url = f"{self._base_url}/respond/{next(self._seq)}"
        self._links[url] = _ResponseLink(channel, user_id, ts, issued_at=self._clock())
        return url

    def response_url_user(self, url: str) -> str | None:
        link = self._links.get(url)
        return link.user_id if link else None

    def respond(self, url: str, body: Json) -> tuple[int, list[str]]:
        """Apply a response_url post like Slack does; returns the HTTP status and violations."""
        link = self._links.get(url)
        if link is None:
            return 404, ["response_url was never issued"]
        link.uses += 1
        if link.uses > RESPONSE_URL_MAX_USES:
            return 404, [f"response_url used more than {RESPONSE_URL_MAX_USES} times"]
        if self._clock() - link.issued_at > RESPONSE_URL_TTL_SECONDS:
            return 404, ["response_url used after it expired (30 minutes)"]
        messages = self._messages
        original = messages.find(link.channel, link.ts) if link.channel and link.ts else None
        if body.get("delete_original") and original is not None:
            messages.remove(original)
        elif body.get("replace_original") and original is not None:
            messages.replace(original, body)
        elif link.channel and body.get("response_type") == "in_channel":
            messages.store(link.channel, body)
        elif link.channel and link.user_id:
            messages.store_ephemeral(link.channel, link.user_id, body)
        return 200, []
