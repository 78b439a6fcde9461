"""FakeSlack's HTTP transport: a threaded server on 127.0.0.1 handing each request to
`Endpoints.route` and writing the reply back."""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from sandbox.endpoints import Endpoints, Reply


class SlackHttpServer(ThreadingHTTPServer):
    """One thread per request, so a held or delayed call never blocks the others."""

    daemon_threads = True  # a delayed (fault-injected) answer must not block stop()
    endpoints: Endpoints

    def __init__(self) -> None:
        # Binding here (port 0 = any free port) makes the URLs known before serving starts.
        super().__init__(("127.0.0.1", 0), _Handler)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


class _Handler(BaseHTTPRequestHandler):
    server: SlackHttpServer

    def do_POST(self) -> None:
        self._route()

    def do_GET(self) -> None:
        self._route()

    def _route(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        reply = self.server.endpoints.route(url.path, url.query, self.headers, body)
        if reply is None:
            self.close_connection = True  # hang up without a word, like a lost connection
            return
        self._send(reply)

    def _send(self, reply: Reply) -> None:
        is_json = isinstance(reply.body, dict)
        data = (json.dumps(reply.body) if is_json else str(reply.body)).encode()
        try:
            self.send_response(reply.status)
            headers = {"Content-Type": "application/json" if is_json else "text/plain"}
            headers.update(reply.headers)  # a page says it is HTML; a redirect has a Location
            headers["Content-Length"] = str(len(data))
            for name, value in headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (e.g. timed out on an injected delay)

    def log_message(self, format: str, *args: Any) -> None:
        """Silence per-request logging; the fake records calls itself."""
