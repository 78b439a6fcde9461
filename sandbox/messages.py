"""Messages in the fake workspace: channel messages and ephemerals, as the bot posts, updates
and removes them (chat.postMessage, chat.postEphemeral, chat.update, response_url posts)."""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Any

from sandbox.bodies import json_arg
from sandbox.errors import SlackError
from sandbox.users import APP_ID, BOT_ID, BOT_USER_ID

_FIRST_TS_SECONDS = 1_700_000_000

Json = dict[str, Any]


class Messages:
    def __init__(self, *, team_id: str, seq: Iterator[int]) -> None:
        self.team_id = team_id
        self._seq = seq  # shared with the rest of the workspace: ids never repeat across kinds
        self.by_channel: dict[str, list[Json]] = {}
        self.ephemerals: list[Json] = []

    def next_ts(self) -> str:
        micros = next(self._seq) * 100
        return f"{_FIRST_TS_SECONDS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def find(self, channel: str | None, ts: str | None) -> Json | None:
        """A channel message or an ephemeral by channel and ts (the stored object itself)."""
        for message in [*self.by_channel.get(channel or "", []), *self.ephemerals]:
            if message["channel"] == channel and message["ts"] == ts:
                return message
        return None

    def remove(self, message: Json) -> None:
        for bucket in (self.by_channel.get(message["channel"], []), self.ephemerals):
            if message in bucket:
                bucket.remove(message)

    def replace(self, message: Json, body: Json) -> None:
        """`replace_original`: the message keeps its ts and takes the new text and blocks."""
        message["text"] = body.get("text", "")
        message["blocks"] = with_block_ids(json_arg(body.get("blocks")))

    def store(self, channel: str, args: Json) -> Json:
        message = self._message(channel, args)
        self.by_channel.setdefault(channel, []).append(message)
        return message

    def store_ephemeral(self, channel: str, user_id: str, args: Json) -> Json:
        message = self._message(channel, args) | {"user": user_id, "is_ephemeral": True}
        self.ephemerals.append(message)
        return message

    # --- Web API methods (channel already resolved from a user id by the workspace) --------

    def post(self, channel: str, args: Json) -> Json:
        message = self.store(channel, args)
        return {"ok": True, "channel": message["channel"], "ts": message["ts"], "message": message}

    def post_ephemeral(self, channel: str, args: Json) -> Json:
        message = self.store_ephemeral(channel, args["user"], args)
        return {"ok": True, "message_ts": message["ts"]}

    def update(self, args: Json) -> Json:
        message = self.find(args["channel"], args["ts"])
        if message is None or message.get("is_ephemeral"):
            raise SlackError("message_not_found")
        # Omitted fields keep their old value, as the spec documents for blocks.
        if "text" in args:
            message["text"] = args["text"]
        if "blocks" in args:
            message["blocks"] = with_block_ids(json_arg(args["blocks"]))
        return {
            "ok": True,
            "channel": message["channel"],
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    def _message(self, channel: str, args: Json) -> Json:
        if not args.get("text") and not args.get("blocks") and not args.get("attachments"):
            raise SlackError("no_text")
        message: Json = {
            "type": "message",
            "channel": channel,
            "user": BOT_USER_ID,
            "bot_id": BOT_ID,
            "app_id": APP_ID,
            "team": self.team_id,
            "ts": self.next_ts(),
            "text": args.get("text", ""),
            "blocks": with_block_ids(json_arg(args.get("blocks"))),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return message


def with_block_ids(blocks: Any) -> list[Json]:
    """Slack gives every block without a block_id a random one; interactions then carry it."""
    return [
        block if "block_id" in block else {**block, "block_id": secrets.token_urlsafe(3)}
        for block in blocks or []
    ]
