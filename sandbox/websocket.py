"""The RFC 6455 WebSocket pieces the Socket Mode endpoint and its tests need: the handshake
answer and single (unfragmented) frames."""

from __future__ import annotations

import base64
import hashlib
import os
import socket
import struct
from dataclasses import dataclass

OP_TEXT, OP_CLOSE, OP_PING, OP_PONG = 0x1, 0x8, 0x9, 0xA
_WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


@dataclass(frozen=True)
class Frame:
    opcode: int
    data: bytes
    masked: bool
    fin: bool


def accept_key(key: str) -> str:
    """The Sec-WebSocket-Accept answer to a Sec-WebSocket-Key (RFC 6455 section 4.2.2)."""
    return base64.b64encode(hashlib.sha1((key + _WS_GUID).encode()).digest()).decode()


def encode_frame(opcode: int, data: bytes, *, mask: bool = False) -> bytes:
    """One final frame; servers send unmasked frames, clients must mask theirs."""
    head = bytearray([0x80 | opcode])
    bit = 0x80 if mask else 0
    if len(data) < 126:
        head.append(bit | len(data))
    elif len(data) < 1 << 16:
        head += struct.pack("!BH", bit | 126, len(data))
    else:
        head += struct.pack("!BQ", bit | 127, len(data))
    if not mask:
        return bytes(head) + data
    key = os.urandom(4)
    return bytes(head) + key + bytes(b ^ key[i % 4] for i, b in enumerate(data))


def read_frame(sock: socket.socket) -> Frame:
    """Read one frame, unmasking it; ConnectionError when the peer has gone."""
    first, second = _recv_exact(sock, 2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack("!H", _recv_exact(sock, 2))
    elif length == 127:
        (length,) = struct.unpack("!Q", _recv_exact(sock, 8))
    masked = bool(second & 0x80)
    key = _recv_exact(sock, 4) if masked else b""
    data = _recv_exact(sock, length)
    if masked:
        data = bytes(b ^ key[i % 4] for i, b in enumerate(data))
    return Frame(opcode=first & 0x0F, data=data, masked=masked, fin=bool(first & 0x80))


def _recv_exact(sock: socket.socket, size: int) -> bytes:
    chunks = bytearray()
    while len(chunks) < size:
        chunk = sock.recv(size - len(chunks))
        if not chunk:
            raise ConnectionError("the peer closed the connection")
        chunks += chunk
    return bytes(chunks)
