"""Files in someone's DM with the bot (files_upload_v2: get URL, upload, complete): the report
with its chart, and the export. Sent straight away rather than through the outbox: the person
is waiting for them, and their bytes do not belong in a queue row."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.core.runtime import Runtime
from bot.render.export import DmFile


def send_to_dm(
    rt: Runtime,
    *,
    team_id: str,
    user_id: str,
    files: Sequence[DmFile],
    message: dict[str, Any] | None = None,
    comment: str | None = None,
) -> None:
    """An optional message, then the files, in the person's DM with the bot."""
    # Uploads need the DM's channel id, not the user id chat.* accepts.
    client = rt.client_for(team_id)
    channel = str(client.conversations_open(users=user_id)["channel"]["id"])
    if message is not None:
        client.chat_postMessage(channel=channel, **message)
    client.files_upload_v2(
        channel=channel,
        initial_comment=comment,
        file_uploads=[
            {
                "filename": f.filename,
                "title": f.title,
                "content": f.content,
                **({"alt_txt": f.alt_text} if f.alt_text else {}),
            }
            for f in files
        ],
    )
