"""The HTTP surface: Slack's POST /slack/events and an operator's GET /healthz."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import parse_body

from bot.core.logs import log_event
from bot.rules.envelope import envelope_problem
from storage.db import Database

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi(app: App, db: Database) -> WsgiApp:
    slack = _CheckedHandler(app, path=EVENTS_PATH)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            healthy = db.ping()
            status = "200 OK" if healthy else "503 Service Unavailable"
            body = b"ok\n" if healthy else b"database unavailable\n"
            start_response(status, [("Content-Type", "text/plain"), ("Cache-Control", "no-store")])
            return [body]
        return slack(environ, start_response)

    return wsgi


class _CheckedHandler(SlackRequestHandler):
    """Bolt's WSGI handler, answering 400 to a body Bolt could not read without raising
    (`envelope_problem`: e.g. a `user` that is a number, an `event` that is a string)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        body, headers = request.get_body(), request.get_headers()
        content_type = str(headers.get("content-type") or "").split(";")[0] or None
        try:
            problem = envelope_problem(parse_body(body, content_type))
        except (ValueError, RecursionError):
            problem = "body is not JSON"
        if problem is not None:
            log_event(logger, "http.refused", logging.WARNING, status=400, reason=problem)
            return BoltResponse(status=400, body="bad request")
        return self.app.dispatch(
            BoltRequest(body=body, query=request.query_string, headers=headers)
        )


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("http " + format % args)


def make_http_server(wsgi: WsgiApp, *, host: str, port: int) -> WSGIServer:
    """A threaded server for one machine (port 0 picks a free one); production runs
    bot.wsgi:app under gunicorn."""
    return make_server(host, port, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler)


def serve_http(wsgi: WsgiApp, *, host: str, port: int) -> None:
    with make_http_server(wsgi, host=host, port=port) as server:
        logger.info("http.listening", extra={"host": host, "port": server.server_port})
        server.serve_forever()
