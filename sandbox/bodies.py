"""Decoding request bodies the way Slack's servers accept them: form, JSON or multipart."""

from __future__ import annotations

import json
from email.message import EmailMessage
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any
from urllib.parse import parse_qs


def api_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Arguments of a Web API call: query string merged with the body (body wins).

    Raises ValueError for a body that does not decode as its content type says.
    """
    args: dict[str, Any] = _form(query)
    kind = _media_type(content_type)
    if kind == "application/json":
        decoded = json.loads(body or b"{}")
        if not isinstance(decoded, dict):
            raise ValueError("JSON body is not an object")
        args.update(decoded)
    elif kind == "multipart/form-data":
        for name, _filename, value in _parts(content_type, body):
            args[name] = value
    elif body:
        args.update(_form(body.decode("utf-8")))
    return args


def upload_content(content_type: str, body: bytes) -> bytes:
    """The file bytes POSTed to an upload URL: the raw body, or the file part of a multipart form.

    slack_sdk's files_upload_v2 sends the raw bytes with urllib's default form content type, so
    only an explicit multipart body is unwrapped.
    """
    if _media_type(content_type) != "multipart/form-data":
        return body
    parts = _parts(content_type, body)
    files = [value for _name, filename, value in parts if filename is not None]
    if not files:
        raise ValueError("multipart upload has no file part")
    return files[0] if isinstance(files[0], bytes) else files[0].encode()


def _media_type(content_type: str) -> str:
    return content_type.split(";")[0].strip().lower()


def _form(text: str) -> dict[str, Any]:
    return {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}


def _parts(content_type: str, body: bytes) -> list[tuple[str, str | None, str | bytes]]:
    """(name, filename, value) per part; file parts stay bytes, fields become text."""
    head = f"Content-Type: {content_type}\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(head + body)
    if not isinstance(message, EmailMessage) or not message.is_multipart():
        raise ValueError("malformed multipart body")
    parts: list[tuple[str, str | None, str | bytes]] = []
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if not isinstance(name, str) or not isinstance(payload, bytes):
            raise ValueError("multipart part without a name")
        filename = part.get_filename()
        parts.append((name, filename, payload if filename is not None else payload.decode()))
    return parts


def json_arg(value: Any) -> Any:
    """A JSON argument (blocks, view, files): form bodies carry it as a string, JSON bodies as
    the object itself."""
    if isinstance(value, str | bytes):
        return json.loads(value) if value else None
    return value
