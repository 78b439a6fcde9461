"""The sandbox's Socket Mode endpoint: app-level token, handshake, hello, envelopes and acks."""

from __future__ import annotations

import base64
import json
import os
import socket
import struct
import threading
from urllib.parse import urlsplit

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from sandbox import FakeSlack, SocketModeSide
from sandbox.websocket import (
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    Frame,
    accept_key,
    encode_frame,
    read_frame,
)
from tests.utils.wait import eventually

APP_TOKEN = "xapp-1-A0SANDBOX-1-test"


def _open_url(fake: FakeSlack) -> str:
    url = WebClient(base_url=fake.api_url).apps_connections_open(app_token=APP_TOKEN)["url"]
    assert isinstance(url, str)
    return url


def _handshake(url: str) -> tuple[socket.socket, str, str]:
    """A raw RFC 6455 client handshake; returns the socket, the response head and the key."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=5)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.hostname}\r\n"
        "Upgrade: websocket\r\nConnection: Upgrade\r\n"
        f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n".encode()
    )
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        byte = sock.recv(1)  # byte by byte: frames follow the head at once
        assert byte, f"connection closed during the handshake: {head!r}"
        head += byte
    return sock, head.decode(), key


def _send_json(sock: socket.socket, message: object) -> None:
    sock.sendall(encode_frame(OP_TEXT, json.dumps(message).encode(), mask=True))


def _read_json(sock: socket.socket) -> dict[str, object]:
    frame = read_frame(sock)
    assert frame.opcode == OP_TEXT and not frame.masked
    loaded = json.loads(frame.data)
    assert isinstance(loaded, dict)
    return loaded


def test_connections_open_needs_the_app_token_and_the_rest_the_bot_token(
    fake: FakeSlack,
) -> None:
    url = _open_url(fake)
    assert url.startswith("ws://127.0.0.1:") and "/link/?ticket=" in url
    assert fake.violations == []

    bot = WebClient(token="xoxb-test", base_url=fake.api_url)
    with pytest.raises(SlackApiError, match="invalid_auth"):
        bot.apps_connections_open(app_token="xoxb-test")
    with pytest.raises(SlackApiError, match="invalid_auth"):
        WebClient(token=APP_TOKEN, base_url=fake.api_url).chat_postMessage(channel="C1", text="x")
    first, second = fake.violations
    assert first.startswith("apps.connections.open: Authorization header is not an app-level")
    assert second.startswith("chat.postMessage: Authorization header is not a bot token")


def test_handshake_hello_ping_ack_and_close(fake: FakeSlack) -> None:
    sock, head, key = _handshake(_open_url(fake))
    with sock:
        assert head.startswith("HTTP/1.1 101 ")
        assert f"Sec-WebSocket-Accept: {accept_key(key)}\r\n" in head
        hello = _read_json(sock)
        assert hello["type"] == "hello"
        assert hello["connection_info"] == {"app_id": "A0SANDBOX"}

        sock.sendall(encode_frame(OP_PING, b"session:1.0", mask=True))
        assert read_frame(sock) == Frame(OP_PONG, b"session:1.0", masked=False, fin=True)

        envelope_id = fake.socket_mode.send_envelope("slash_commands", {"command": "/aor"})
        envelope = _read_json(sock)
        assert envelope == {
            "envelope_id": envelope_id,
            "type": "slash_commands",
            "payload": {"command": "/aor"},
            "accepts_response_payload": True,
        }
        _send_json(sock, {"envelope_id": envelope_id, "payload": {"text": "usage"}})
        assert fake.socket_mode.wait_ack(envelope_id, timeout=2) == {"text": "usage"}

        sock.sendall(encode_frame(OP_CLOSE, struct.pack("!H", 1000), mask=True))
        assert read_frame(sock) == Frame(OP_CLOSE, struct.pack("!H", 1000), False, True)
        assert sock.recv(1) == b""
    eventually(lambda: not fake.socket_mode.connected, timeout=2)
    fake.assert_no_violations()


def test_urls_are_single_use_and_client_frames_must_be_masked(fake: FakeSlack) -> None:
    url = _open_url(fake)
    first, _, _ = _handshake(url)
    with first:
        _read_json(first)  # hello
        again, head, _ = _handshake(url)
        again.close()
        assert head.startswith("HTTP/1.1 400 ")
        first.sendall(encode_frame(OP_TEXT, b'{"envelope_id": "nope"}'))  # unmasked
        eventually(lambda: len(fake.violations) == 3, timeout=2)
    assert fake.violations == [
        f"socket_mode: handshake for an unknown or used URL: GET {urlsplit(url).path}?"
        f"{urlsplit(url).query}",
        "socket_mode: client frames must be masked and unfragmented (RFC 6455)",
        "socket_mode: ack for an unknown envelope: 'nope'",
    ]


def test_slack_sdk_client_round_trip_through_socket_mode_side(fake: FakeSlack) -> None:
    fake.add_user("U1", name="una")
    received: list[SocketModeRequest] = []

    def listener(client: SocketModeClient, request: SocketModeRequest) -> None:
        received.append(request)
        reply = {"text": f"got {request.type}"} if request.accepts_response_payload else None
        client.send_socket_mode_response(SocketModeResponse(request.envelope_id, reply))

    client = SocketModeClient(
        app_token=APP_TOKEN, web_client=WebClient(base_url=fake.api_url), ping_interval=1
    )
    # The ignore: slack_sdk types listeners for its base client; this one only gets ours.
    client.socket_mode_request_listeners.append(listener)  # type: ignore[arg-type]
    client.connect()
    try:
        side = SocketModeSide(fake, timeout=3)
        command = side.command("help", user_id="U1")
        event = side.app_home_opened("U1")
    finally:
        # The client's close() sends no close frame and waits out its 3 s socket timeout;
        # closing from the server side ends its receive loop at once.
        client.auto_reconnect_enabled = False
        fake.stop()
        client.close()
    assert command.payload == {"text": "got slash_commands"}
    assert command.response_url and command.trigger_id
    assert event.payload == {}
    slash, home = received
    assert slash.payload["user_name"] == "una" and slash.payload["text"] == "help"
    assert slash.payload["response_url"] == command.response_url
    assert home.payload["event"]["type"] == "app_home_opened"
    assert (home.retry_attempt, home.retry_reason) == (0, "")
    fake.assert_no_violations()


def test_sending_needs_a_client_and_stop_ends_the_server_threads(fake: FakeSlack) -> None:
    with pytest.raises(AssertionError, match="no Socket Mode client"):
        fake.socket_mode.send_envelope("events_api", {})
    with pytest.raises(ValueError, match="unknown Socket Mode envelope type"):
        fake.socket_mode.send_envelope("hello", {})
    sock, _, _ = _handshake(_open_url(fake))
    with sock:
        _read_json(sock)  # hello
        fake.stop()
        assert read_frame(sock) == Frame(OP_CLOSE, struct.pack("!H", 1001), False, True)
        assert sock.recv(1) == b""
    assert not [t for t in threading.enumerate() if t.name.startswith("fake-slack-socket")]


def test_slack_retires_sockets_by_disconnect_envelope_by_drop_and_by_silence(
    fake: FakeSlack,
) -> None:
    socket_mode = fake.socket_mode
    first, _, _ = _handshake(_open_url(fake))
    with first:
        _read_json(first)  # hello
        socket_mode.send_disconnect("warning")
        assert _read_json(first) == {
            "type": "disconnect",
            "reason": "warning",
            "debug_info": {"host": "applink-1"},
        }
        socket_mode.drop()  # no close frame: the client just reads the end of the stream
        assert first.recv(1) == b""
    eventually(lambda: not socket_mode.connected, timeout=2)
    assert socket_mode.open_connections == 0

    second, _, _ = _handshake(_open_url(fake))
    with second:
        _read_json(second)  # hello
        socket_mode.silence()
        assert not socket_mode.connected and socket_mode.open_connections == 1
        with pytest.raises(AssertionError, match="no Socket Mode client"):
            socket_mode.send_envelope("events_api", {})
        second.sendall(encode_frame(OP_PING, b"anyone?", mask=True))
        second.settimeout(0.3)
        with pytest.raises(TimeoutError):  # the pong never comes
            read_frame(second)
    eventually(lambda: socket_mode.open_connections == 0, timeout=2)
    assert socket_mode.connections_opened == 2
    fake.assert_no_violations()
