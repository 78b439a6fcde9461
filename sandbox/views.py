"""Views in the fake workspace: modals (views.open/push/update) and App Home tabs
(views.publish), stored as Slack returns them, with ids, hashes and state added."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Container, Iterator
from typing import Any

from sandbox.bodies import json_arg
from sandbox.errors import SlackError
from sandbox.messages import with_block_ids
from sandbox.users import APP_ID, BOT_ID

Json = dict[str, Any]


class Views:
    def __init__(
        self,
        *,
        team_id: str,
        clock: Callable[[], float],
        seq: Iterator[int],
        users: Container[str],
        use_trigger: Callable[[str | None], None],
    ) -> None:
        self.team_id = team_id
        self._clock = clock
        self._seq = seq
        self._users = users  # the workspace's live user table: publish checks who exists
        self._use_trigger = use_trigger
        self.by_id: dict[str, Json] = {}
        self.homes: dict[str, Json] = {}

    def open(self, args: Json) -> Json:
        self._use_trigger(args.get("trigger_id"))
        view = self._view(json_arg(args["view"]), view_id=self._new_id())
        self.by_id[view["id"]] = view
        return {"ok": True, "view": view}

    def push(self, args: Json) -> Json:
        return self.open(args)

    def update(self, args: Json) -> Json:
        old = self._existing(args)
        view = self._view(json_arg(args["view"]), view_id=old["id"])
        view["root_view_id"], view["previous_view_id"] = (
            old["root_view_id"],
            old["previous_view_id"],
        )
        self.by_id[view["id"]] = view
        return {"ok": True, "view": view}

    def publish(self, args: Json) -> Json:
        user_id = args["user_id"]
        if user_id not in self._users:
            raise SlackError("user_not_found")
        old = self.homes.get(user_id)
        if old is not None and args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view_id = old["id"] if old else self._new_id()
        view = self._view(json_arg(args["view"]), view_id=view_id)
        self.homes[user_id] = self.by_id[view_id] = view
        return {"ok": True, "view": view}

    def _view(self, source: Json, *, view_id: str) -> Json:
        """A view as Slack returns it: the app's fields plus the ids and state Slack adds."""
        defaults: Json = {
            "private_metadata": "",
            "callback_id": "",
            "external_id": "",
            "clear_on_close": False,
            "notify_on_close": False,
        }
        added: Json = {
            "id": view_id,
            "team_id": self.team_id,
            "blocks": with_block_ids(source.get("blocks")),
            "state": {"values": {}},
            "hash": f"{int(self._clock())}.{secrets.token_hex(4)}",
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": BOT_ID,
        }
        return defaults | source | added

    def _new_id(self) -> str:
        return f"V{next(self._seq):08X}"

    def _existing(self, args: Json) -> Json:
        if args.get("view_id"):
            old = self.by_id.get(args["view_id"])
        elif args.get("external_id"):
            matches = [v for v in self.by_id.values() if v["external_id"] == args["external_id"]]
            old = matches[-1] if matches else None
        else:
            raise SlackError("invalid_arguments", "views.update needs view_id or external_id")
        if old is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        return old
