"""The in-memory workspace behind FakeSlack: users, DMs, messages, views, files, triggers.

Not thread-safe on its own: FakeSlack serialises every call into it with one lock.
"""

from __future__ import annotations

import itertools
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from sandbox.records import UploadedFile

BOT_USER_ID = "UBOT"
BOT_ID = "BBOT"
APP_ID = "A0SANDBOX"
TRIGGER_TTL_SECONDS = 3.0  # Slack's documented lifetime of a trigger_id
RESPONSE_URL_TTL_SECONDS = 30 * 60
RESPONSE_URL_MAX_USES = 5
_FIRST_TS_SECONDS = 1_700_000_000

Json = dict[str, Any]


class SlackError(Exception):
    """Makes a method answer `ok: false`; `violation` also flags the call as an app bug."""

    def __init__(self, error: str, violation: str | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.violation = violation


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str
    is_admin: bool
    is_owner: bool
    is_bot: bool
    deleted: bool

    def to_slack(self, team_id: str, now: float) -> Json:
        local = datetime.fromtimestamp(now, ZoneInfo(self.tz))
        offset = local.utcoffset()
        return {
            "id": self.id,
            "team_id": team_id,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": self.deleted,
            "is_bot": self.is_bot,
            "is_app_user": False,
            "is_admin": self.is_admin,
            "is_owner": self.is_owner,
            "is_primary_owner": False,
            "is_restricted": False,
            "is_ultra_restricted": False,
            "tz": self.tz,
            "tz_offset": int(offset.total_seconds()) if offset else 0,
            # Slack sends a long name ("Pacific Standard Time"); zoneinfo only knows "PST".
            "tz_label": local.tzname() or self.tz,
            "updated": int(now),
            "profile": {
                "real_name": self.real_name,
                "real_name_normalized": self.real_name,
                "display_name": self.name,
                "display_name_normalized": self.name,
                "team": team_id,
            },
        }


@dataclass
class _Trigger:
    issued_at: float
    used: bool = False


@dataclass
class _Upload:
    filename: str
    length: int
    content: bytes | None = None


@dataclass
class _ResponseLink:
    """Where a response_url's posts land: the command's channel/user or the clicked message."""

    channel: str | None
    user_id: str | None
    ts: str | None
    issued_at: float
    uses: int = 0


class Workspace:
    def __init__(self, *, team_id: str, base_url: str, clock: Callable[[], float]) -> None:
        self.team_id = team_id
        self._base_url = base_url
        self._clock = clock
        self.users: dict[str, User] = {}
        self.messages: dict[str, list[Json]] = {}
        self.ephemerals: list[Json] = []
        self.views: dict[str, Json] = {}
        self.homes: dict[str, Json] = {}
        self.files: list[UploadedFile] = []
        self._uploads: dict[str, _Upload] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._links: dict[str, _ResponseLink] = {}
        self._seq = itertools.count(1)
        self._handlers: dict[str, Callable[[Json], Json]] = {
            "auth.test": self._auth_test,
            "users.info": self._users_info,
            "conversations.open": self._conversations_open,
            "chat.postMessage": self._post_message,
            "chat.update": self._update,
            "chat.postEphemeral": self._post_ephemeral,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._get_upload_url,
            "files.completeUploadExternal": self._complete_upload,
        }

    def handle(self, method: str, args: Json) -> tuple[Json, list[str]]:
        """Answer a spec-valid call; returns the response and any app-bug violations."""
        handler = self._handlers.get(method)
        if handler is None:
            return {"ok": True}, []
        try:
            return handler(args), []
        except SlackError as err:
            return {"ok": False, "error": err.error}, [err.violation] if err.violation else []
        except KeyError as err:  # an argument the spec snapshot does not mark as required
            return {"ok": False, "error": "invalid_arguments"}, [f"missing argument {err}"]
        except ValueError as err:
            return {"ok": False, "error": "invalid_json"}, [f"argument is not valid JSON: {err}"]

    # --- ids, triggers, response URLs -----------------------------------------------------

    def next_ts(self) -> str:
        micros = next(self._seq) * 100
        return f"{_FIRST_TS_SECONDS + micros // 1_000_000}.{micros % 1_000_000:06d}"

    def issue_trigger(self) -> str:
        trigger_id = f"{next(self._seq)}.{self.team_id}.{secrets.token_hex(16)}"
        self._triggers[trigger_id] = _Trigger(issued_at=self._clock())
        return trigger_id

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
        original = self.find_message(link.channel, link.ts) if link.channel and link.ts else None
        if body.get("delete_original") and original is not None:
            self._remove(original)
        elif body.get("replace_original") and original is not None:
            original["text"] = body.get("text", "")
            original["blocks"] = _with_block_ids(_json(body.get("blocks")))
        elif link.channel and body.get("response_type") == "in_channel":
            self._store_message(link.channel, body)
        elif link.channel and link.user_id:
            self._store_ephemeral(link.channel, link.user_id, body)
        return 200, []

    def _use_trigger(self, trigger_id: str | None) -> None:
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

    # --- users and conversations ------------------------------------------------------------

    def dm_channel(self, user_id: str) -> str:
        return f"D{user_id}"

    def _auth_test(self, _args: Json) -> Json:
        return {
            "ok": True,
            "url": "https://sandbox.slack.com/",
            "team": "Sandbox",
            "user": "aor",
            "team_id": self.team_id,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _users_info(self, args: Json) -> Json:
        user = self.users.get(args.get("user", ""))
        if user is None:
            raise SlackError("user_not_found")
        return {"ok": True, "user": user.to_slack(self.team_id, self._clock())}

    def _conversations_open(self, args: Json) -> Json:
        if args.get("channel"):
            return {"ok": True, "channel": {"id": args["channel"]}}
        user_ids = [u for u in str(args.get("users", "")).split(",") if u]
        if len(user_ids) != 1:
            raise SlackError("users_list_not_supplied", "sandbox opens DMs with one user only")
        if user_ids[0] not in self.users:
            raise SlackError("user_not_found")
        return {"ok": True, "channel": {"id": self.dm_channel(user_ids[0])}}

    def _channel(self, channel: str) -> str:
        """Slack accepts a user id as channel and posts into the DM with that user."""
        if channel[:1] in ("U", "W"):
            if channel not in self.users:
                raise SlackError("channel_not_found")
            return self.dm_channel(channel)
        return channel

    # --- messages ---------------------------------------------------------------------------

    def find_message(self, channel: str | None, ts: str | None) -> Json | None:
        for message in [*self.messages.get(channel or "", []), *self.ephemerals]:
            if message["channel"] == channel and message["ts"] == ts:
                return message
        return None

    def _remove(self, message: Json) -> None:
        for bucket in (self.messages.get(message["channel"], []), self.ephemerals):
            if message in bucket:
                bucket.remove(message)

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
            "blocks": _with_block_ids(_json(args.get("blocks"))),
        }
        if args.get("thread_ts"):
            message["thread_ts"] = args["thread_ts"]
        return message

    def _store_message(self, channel: str, args: Json) -> Json:
        message = self._message(channel, args)
        self.messages.setdefault(channel, []).append(message)
        return message

    def _store_ephemeral(self, channel: str, user_id: str, args: Json) -> Json:
        message = self._message(channel, args) | {"user": user_id, "is_ephemeral": True}
        self.ephemerals.append(message)
        return message

    def _post_message(self, args: Json) -> Json:
        message = self._store_message(self._channel(args["channel"]), args)
        return {"ok": True, "channel": message["channel"], "ts": message["ts"], "message": message}

    def _post_ephemeral(self, args: Json) -> Json:
        message = self._store_ephemeral(self._channel(args["channel"]), args["user"], args)
        return {"ok": True, "message_ts": message["ts"]}

    def _update(self, args: Json) -> Json:
        message = self.find_message(args["channel"], args["ts"])
        if message is None or message.get("is_ephemeral"):
            raise SlackError("message_not_found")
        # Omitted fields keep their old value, as the spec documents for blocks.
        if "text" in args:
            message["text"] = args["text"]
        if "blocks" in args:
            message["blocks"] = _with_block_ids(_json(args["blocks"]))
        return {
            "ok": True,
            "channel": message["channel"],
            "ts": message["ts"],
            "text": message["text"],
            "message": message,
        }

    # --- views ------------------------------------------------------------------------------

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
            "blocks": _with_block_ids(source.get("blocks")),
            "state": {"values": {}},
            "hash": f"{int(self._clock())}.{secrets.token_hex(4)}",
            "previous_view_id": None,
            "root_view_id": view_id,
            "app_id": APP_ID,
            "app_installed_team_id": self.team_id,
            "bot_id": BOT_ID,
        }
        return defaults | source | added

    def _new_view_id(self) -> str:
        return f"V{next(self._seq):08X}"

    def _views_open(self, args: Json) -> Json:
        self._use_trigger(args.get("trigger_id"))
        view = self._view(_json(args["view"]), view_id=self._new_view_id())
        self.views[view["id"]] = view
        return {"ok": True, "view": view}

    def _views_push(self, args: Json) -> Json:
        return self._views_open(args)

    def _views_update(self, args: Json) -> Json:
        old = self._existing_view(args)
        view = self._view(_json(args["view"]), view_id=old["id"])
        view["root_view_id"], view["previous_view_id"] = (
            old["root_view_id"],
            old["previous_view_id"],
        )
        self.views[view["id"]] = view
        return {"ok": True, "view": view}

    def _existing_view(self, args: Json) -> Json:
        if args.get("view_id"):
            old = self.views.get(args["view_id"])
        elif args.get("external_id"):
            matches = [v for v in self.views.values() if v["external_id"] == args["external_id"]]
            old = matches[-1] if matches else None
        else:
            raise SlackError("invalid_arguments", "views.update needs view_id or external_id")
        if old is None:
            raise SlackError("not_found")
        if args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        return old

    def _views_publish(self, args: Json) -> Json:
        user_id = args["user_id"]
        if user_id not in self.users:
            raise SlackError("user_not_found")
        old = self.homes.get(user_id)
        if old is not None and args.get("hash") and args["hash"] != old["hash"]:
            raise SlackError("hash_conflict")
        view_id = old["id"] if old else self._new_view_id()
        view = self._view(_json(args["view"]), view_id=view_id)
        self.homes[user_id] = self.views[view_id] = view
        return {"ok": True, "view": view}

    # --- files ------------------------------------------------------------------------------

    def _get_upload_url(self, args: Json) -> Json:
        file_id = f"F{next(self._seq):08X}"
        self._uploads[file_id] = _Upload(filename=args["filename"], length=int(args["length"]))
        return {"ok": True, "upload_url": f"{self._base_url}/upload/{file_id}", "file_id": file_id}

    def upload(self, file_id: str, content: bytes) -> tuple[int, list[str]]:
        """Store the bytes POSTed to an upload_url; returns the HTTP status and violations."""
        upload = self._uploads.get(file_id)
        if upload is None:
            return 404, [f"upload to unknown file id {file_id!r}"]
        upload.content = content
        if len(content) != upload.length:
            return 200, [f"uploaded {len(content)} bytes, announced length {upload.length}"]
        return 200, []

    def _complete_upload(self, args: Json) -> Json:
        entries = _json(args["files"])
        if not isinstance(entries, list) or not entries:
            raise SlackError("invalid_arguments", "files must be a non-empty JSON array")
        shared: list[Json] = []
        for entry in entries:
            upload = self._uploads.pop(entry.get("id", ""), None)
            if upload is None or upload.content is None:
                raise SlackError("file_not_found", f"file {entry.get('id')!r} was not uploaded")
            stored = UploadedFile(
                id=entry["id"],
                title=entry.get("title") or upload.filename,
                filename=upload.filename,
                content=upload.content,
                channel_id=args.get("channel_id"),
                initial_comment=args.get("initial_comment"),
            )
            self.files.append(stored)
            shared.append(
                {
                    "id": stored.id,
                    "name": stored.filename,
                    "title": stored.title,
                    "size": len(stored.content),
                    "user": BOT_USER_ID,
                    "created": int(self._clock()),
                    "channels": [stored.channel_id] if stored.channel_id else [],
                }
            )
        return {"ok": True, "files": shared}


def _json(value: Any) -> Any:
    """Form bodies carry JSON arguments as strings, JSON bodies as objects."""
    if isinstance(value, str | bytes):
        return json.loads(value) if value else None
    return value


def _with_block_ids(blocks: Any) -> list[Json]:
    """Slack gives every block without a block_id a random one; interactions then carry it."""
    return [
        block if "block_id" in block else {**block, "block_id": secrets.token_urlsafe(3)}
        for block in blocks or []
    ]
