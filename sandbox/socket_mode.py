"""A minimal Socket Mode endpoint: the WebSocket Slack pushes envelopes over and apps ack on.

FakeSlack answers `apps.connections.open` with a single-use `ws://127.0.0.1:PORT/link/?ticket=`
URL from `issue_url()`. After the RFC 6455 handshake the server says `hello`, like Slack; a test
then pushes envelopes with `send_envelope()` and reads the app's acks with `wait_ack()`.
Slack also retires sockets, and a test can too: `send_disconnect()` asks the client to move to a
fresh URL, `drop()` hangs up without a close frame, `silence()` leaves the socket open but
answers no more pings (a half-open link). Only unfragmented frames are supported: slack_sdk
never fragments what it sends.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import socket
import struct
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sandbox.websocket import (
    OP_CLOSE,
    OP_PING,
    OP_PONG,
    OP_TEXT,
    accept_key,
    encode_frame,
    read_frame,
)

Json = dict[str, Any]
_HANDSHAKE_TIMEOUT = 5.0
_MAX_HANDSHAKE = 8192
_ENVELOPE_TYPES = frozenset({"slash_commands", "interactive", "events_api"})


@dataclass
class _Connection:
    sock: socket.socket
    send_lock: threading.Lock = field(default_factory=threading.Lock)
    open: bool = True
    silent: bool = False  # answers no pings and gets no envelopes: the link is gone

    def send(self, opcode: int, data: bytes) -> None:
        with self.send_lock:
            self.sock.sendall(encode_frame(opcode, data))


class SocketModeServer:
    """Threaded WebSocket server on 127.0.0.1 (a free port); `report` receives violations."""

    def __init__(self, *, app_id: str, report: Callable[[str], None]) -> None:
        self._app_id = app_id
        self._report = report
        self._lock = threading.Condition()
        self._listener = socket.create_server(("127.0.0.1", 0))
        # accept() polls so stop() is noticed quickly without closing a socket under it.
        self._listener.settimeout(0.05)
        self.port = self._listener.getsockname()[1]
        self._tickets: set[str] = set()
        self._connections: list[_Connection] = []
        self._sent: set[str] = set()
        self._acks: dict[str, Json] = {}
        self._threads: list[threading.Thread] = []
        self._stopping = threading.Event()

    # --- lifecycle --------------------------------------------------------------------------

    def start(self) -> SocketModeServer:
        self._spawn(self._accept_loop, "fake-slack-socket-mode")
        return self

    def stop(self) -> None:
        self._stopping.set()
        with self._lock:
            connections = list(self._connections)
        for conn in connections:
            self._close(conn, 1001)
        for thread in list(self._threads):
            thread.join(timeout=2)
        self._listener.close()

    # --- what a test uses -------------------------------------------------------------------

    def issue_url(self) -> str:
        """A single-use WebSocket URL, as apps.connections.open returns it."""
        ticket = secrets.token_hex(16)
        with self._lock:
            self._tickets.add(ticket)
        return f"ws://127.0.0.1:{self.port}/link/?ticket={ticket}"

    @property
    def connected(self) -> bool:
        """A client holds a connection that works (open, not silenced)."""
        with self._lock:
            return any(c.open and not c.silent for c in self._connections)

    @property
    def connections_opened(self) -> int:
        """How many connections clients have opened since the server started."""
        with self._lock:
            return len(self._connections)

    @property
    def open_connections(self) -> int:
        """Connections not yet closed by either side (silenced ones included)."""
        with self._lock:
            return sum(c.open for c in self._connections)

    def send_disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the newest connection's client to reconnect, as Slack does before retiring a
        socket (`refresh_requested`, or `warning` ten seconds before it closes one)."""
        message = {"type": "disconnect", "reason": reason, "debug_info": {"host": "applink-1"}}
        self._newest().send(OP_TEXT, json.dumps(message).encode())

    def drop(self) -> None:
        """Hang up the newest connection without a close frame, as a lost link or a restarted
        load balancer does: the client reads end-of-stream and nothing more."""
        conn = self._newest()
        with self._lock:
            conn.open = False
            self._lock.notify_all()
        with contextlib.suppress(OSError):  # the client may have hung up first
            conn.sock.shutdown(socket.SHUT_RDWR)

    def silence(self) -> None:
        """The newest connection stays open but answers no more pings and carries no more
        envelopes, like a link that died without either side noticing."""
        conn = self._newest()
        with self._lock:
            conn.silent = True
            self._lock.notify_all()

    def _newest(self) -> _Connection:
        with self._lock:
            live = [c for c in self._connections if c.open and not c.silent]
        if not live:
            raise AssertionError("no Socket Mode client is connected")
        return live[-1]

    def send_envelope(
        self,
        type: str,
        payload: Json,
        *,
        accepts_response_payload: bool | None = None,
        retry_attempt: int = 0,
        retry_reason: str = "",
    ) -> str:
        """Push an envelope to the newest open connection; returns its envelope_id."""
        if type not in _ENVELOPE_TYPES:
            raise ValueError(f"unknown Socket Mode envelope type {type!r}")
        envelope_id = str(uuid.uuid4())
        envelope: Json = {
            "envelope_id": envelope_id,
            "type": type,
            "payload": payload,
            # Slack only reads a response payload from command and interaction acks.
            "accepts_response_payload": (
                type != "events_api"
                if accepts_response_payload is None
                else accepts_response_payload
            ),
        }
        if type == "events_api":
            envelope |= {"retry_attempt": retry_attempt, "retry_reason": retry_reason}
        conn = self._newest()
        with self._lock:
            self._sent.add(envelope_id)
        conn.send(OP_TEXT, json.dumps(envelope).encode())
        return envelope_id

    def wait_ack(self, envelope_id: str, timeout: float = 5.0) -> Json:
        """The payload of the app's ack of an envelope ({} if the ack carried none)."""
        with self._lock:
            if not self._lock.wait_for(lambda: envelope_id in self._acks, timeout):
                raise AssertionError(f"envelope {envelope_id} was not acked within {timeout}s")
            return self._acks[envelope_id]

    # --- server threads ---------------------------------------------------------------------

    def _spawn(self, target: Callable[..., None], name: str, *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, name=name, daemon=True)
        self._threads.append(thread)
        thread.start()

    def _accept_loop(self) -> None:
        while not self._stopping.is_set():
            try:
                sock, _ = self._listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            self._spawn(self._serve, "fake-slack-socket-conn", sock)

    def _serve(self, sock: socket.socket) -> None:
        with sock:
            if self._stopping.is_set():
                return
            sock.settimeout(_HANDSHAKE_TIMEOUT)
            try:
                if not self._handshake(sock):
                    return
            except OSError as err:  # includes timeouts: a client that never finished
                self._report(f"handshake failed: {err}")
                return
            sock.settimeout(None)  # stop() shuts the socket down, which ends recv()
            conn = _Connection(sock)
            with self._lock:
                self._connections.append(conn)
                self._lock.notify_all()
            try:
                conn.send(OP_TEXT, json.dumps(self._hello()).encode())
                self._read_loop(conn)
            except OSError:
                pass  # the client went away (ConnectionError included)
            finally:
                with self._lock:
                    conn.open = False
                    self._lock.notify_all()

    def _handshake(self, sock: socket.socket) -> bool:
        request = bytearray()
        while b"\r\n\r\n" not in request:
            chunk = sock.recv(1024)
            if not chunk or len(request) > _MAX_HANDSHAKE:
                raise ConnectionError("incomplete handshake request")
            request += chunk
        head = request.split(b"\r\n\r\n", 1)[0].decode("latin-1").split("\r\n")
        method, _, rest = head[0].partition(" ")
        target = rest.rpartition(" ")[0]
        headers = {
            name.strip().lower(): value.strip()
            for name, _, value in (line.partition(":") for line in head[1:])
        }
        path, _, query = target.partition("?")
        ticket = query.removeprefix("ticket=")
        with self._lock:
            known = ticket in self._tickets
            self._tickets.discard(ticket)  # Slack's URLs are single-use
        problem = None
        if method != "GET" or path != "/link/" or not known:
            problem = f"handshake for an unknown or used URL: {method} {target}"
        elif headers.get("upgrade", "").lower() != "websocket":
            problem = "handshake without 'Upgrade: websocket'"
        elif headers.get("sec-websocket-version") != "13" or not headers.get("sec-websocket-key"):
            problem = "handshake without Sec-WebSocket-Version 13 and a Sec-WebSocket-Key"
        if problem:
            self._report(problem)
            sock.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            return False
        sock.sendall(
            "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            f"Sec-WebSocket-Accept: {accept_key(headers['sec-websocket-key'])}\r\n\r\n".encode()
        )
        return True

    def _hello(self) -> Json:
        with self._lock:
            count = sum(c.open for c in self._connections)
        return {
            "type": "hello",
            "num_connections": count,
            "debug_info": {"host": "applink-sandbox", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self._app_id},
        }

    def _read_loop(self, conn: _Connection) -> None:
        while True:
            frame = read_frame(conn.sock)
            if not frame.masked or not frame.fin:
                self._report("client frames must be masked and unfragmented (RFC 6455)")
            if frame.opcode == OP_PING:
                if not conn.silent:
                    conn.send(OP_PONG, frame.data)
            elif frame.opcode == OP_CLOSE:
                code = struct.unpack("!H", frame.data[:2])[0] if len(frame.data) >= 2 else 1000
                self._close(conn, code)
                return
            elif frame.opcode == OP_TEXT and not conn.silent:
                self._on_text(frame.data)

    def _on_text(self, data: bytes) -> None:
        try:
            message = json.loads(data)
        except ValueError:
            message = None
        if not isinstance(message, dict):
            self._report(f"client sent a text frame that is not a JSON object: {data[:80]!r}")
            return
        envelope_id = message.get("envelope_id")
        payload = message.get("payload") or {}
        problem = None
        with self._lock:
            if envelope_id not in self._sent:
                problem = f"ack for an unknown envelope: {envelope_id!r}"
            elif envelope_id in self._acks:
                problem = f"envelope {envelope_id} acked twice"
            else:
                self._acks[envelope_id] = payload
                self._lock.notify_all()
        if problem:  # reported outside our lock: `report` takes FakeSlack's
            self._report(problem)

    def _close(self, conn: _Connection, code: int) -> None:
        """Send a close frame (once) and shut the socket down, which ends its reader."""
        with self._lock:
            was_open, conn.open = conn.open, False
            self._lock.notify_all()
        try:
            if was_open:
                conn.send(OP_CLOSE, struct.pack("!H", code))
            conn.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass  # already gone
