"""Sharing files in someone's DM with the bot (files_upload_v2: get URL, upload, complete)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk import WebClient


@dataclass(frozen=True)
class DmFile:
    filename: str
    title: str
    content: str | bytes


def open_dm(client: WebClient, user_id: str) -> str:
    """The DM channel id: uploads need a real channel id, not the user id chat.* accepts."""
    return str(client.conversations_open(users=user_id)["channel"]["id"])


def share_files(
    client: WebClient, *, channel: str, files: Sequence[DmFile], comment: str | None = None
) -> None:
    client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[
            {"filename": f.filename, "title": f.title, "content": f.content} for f in files
        ],
    )
