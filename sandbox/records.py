"""What the fake Slack records: API calls, response_url posts and uploaded files."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received and answered it (failed attempts included)."""

    method: str
    args: dict[str, Any]
    response: dict[str, Any]
    at: float
    status: int = 200
    token: str | None = None  # the bearer token the call was made with


@dataclass(frozen=True)
class Response:
    """One POST to a response_url (Bolt `respond()`, WebhookClient)."""

    url: str
    body: dict[str, Any]
    at: float


@dataclass(frozen=True)
class UploadedFile:
    """A file shared through files.getUploadURLExternal + upload + files.completeUploadExternal."""

    id: str
    title: str
    filename: str
    content: bytes
    channel_id: str | None
    initial_comment: str | None
    alt_txt: str = ""  # what a screen reader says for an image
