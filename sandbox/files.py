"""Files in the fake workspace, shared the way slack_sdk's files_upload_v2 does it:
files.getUploadURLExternal, the bytes POSTed to that URL, then files.completeUploadExternal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from sandbox.bodies import json_arg
from sandbox.errors import SlackError
from sandbox.records import UploadedFile
from sandbox.users import BOT_USER_ID

Json = dict[str, Any]


@dataclass
class _Upload:
    filename: str
    length: int
    content: bytes | None = None
    alt_txt: str = ""


class Files:
    def __init__(self, *, base_url: str, clock: Callable[[], float], seq: Iterator[int]) -> None:
        self._base_url = base_url
        self._clock = clock
        self._seq = seq
        self.shared: list[UploadedFile] = []
        self._uploads: dict[str, _Upload] = {}

    def get_upload_url(self, args: Json) -> Json:
        file_id = f"F{next(self._seq):08X}"
        self._uploads[file_id] = _Upload(
            filename=args["filename"], length=int(args["length"]), alt_txt=args.get("alt_txt") or ""
        )
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

    def complete_upload(self, args: Json) -> Json:
        entries = json_arg(args["files"])
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
                alt_txt=upload.alt_txt,
            )
            self.shared.append(stored)
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
