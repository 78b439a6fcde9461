"""The Socket Mode surface: Slack's envelopes over a WebSocket that stays connected, and an
operator's GET /healthz beside it.

slack_sdk's built-in client (under Bolt's SocketModeHandler) reconnects with a fresh URL
(`apps.connections.open`) on a `disconnect` envelope, on a close frame and once its socket is
closed. A socket that died without saying so (dropped without a close frame, or silent: pings
go unanswered) it notices only after four ping intervals, and it spins on a socket the peer
closed meanwhile; peers' apps went silent after such drops (slack_sdk issues #1379, #1462,
#1701). So pings go every PING_INTERVAL, and a watchdog replaces any session whose last pong
is older than STALE_AFTER. /healthz says 200 only while the database answers and the socket
is live."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.socket_mode.builtin import SocketModeClient
from slack_sdk.socket_mode.request import SocketModeRequest
from slack_sdk.socket_mode.response import SocketModeResponse

from bot.core.errors import ConfigError
from bot.core.logs import log_event, redact
from bot.core.metrics import observe_request, payload_kind
from bot.rules.envelope import envelope_problem
from bot.web import WsgiApp, health, make_http_server, metrics_page
from storage.db import Database

logger = logging.getLogger(__name__)

PING_INTERVAL = 2.0  # seconds between the client's pings (slack_sdk's default is 5, Bolt's 10)
STALE_AFTER = 5.0  # no pong for this long: the socket is dead, whatever the OS says
WATCH_EVERY = 0.5
_MAX_BACKOFF = 30.0


class SocketWatchdog:
    """Replaces a session that stopped answering pings; says whether the socket is live."""

    def __init__(self, client: SocketModeClient, *, stale_after: float = STALE_AFTER) -> None:
        self._client = client
        self._stale_after = stale_after
        self._session_id: str | None = None
        self._session_since = time.time()
        self._retry_at = 0.0
        self._failures = 0

    def connected(self) -> bool:
        """A session is open and answered a ping sent within the last STALE_AFTER seconds."""
        session = self._client.current_session
        if session is None or not session.is_active():
            return False
        # A pong carries the time its ping was sent; before the first, count from the start.
        answered = session.last_ping_pong_time
        if answered is None:
            known = session.session_id == self._session_id
            answered = self._session_since if known else time.time()
        return time.time() - answered <= self._stale_after

    def check(self) -> None:
        """One look: a live session is left alone, a closed one to the client's own reconnect,
        an open one that stopped answering is replaced (with backoff while that fails)."""
        client = self._client
        session = client.current_session
        if session is not None and session.session_id != self._session_id:
            self._session_id, self._session_since = session.session_id, time.time()
            log_event(logger, "socket_mode.session", session=session.session_id)
        if session is None or self.connected() or not session.is_active():
            self._failures = 0
            return
        now = time.time()
        # The client's own switch (after a `disconnect` envelope) holds this lock, and leaves
        # the old session unanswered while it waits for it: that is no reason to switch again.
        if now < self._retry_at or not client.connect_operation_lock.acquire(blocking=False):
            return
        try:
            if client.current_session is session:
                log_event(logger, "socket_mode.stale", logging.WARNING, session=session.session_id)
                client.wss_uri = client.issue_new_wss_url()
                client.connect()
        except (SlackClientError, OSError) as err:
            self._failures += 1
            self._retry_at = now + min(_MAX_BACKOFF, 2.0**self._failures)
            log_event(
                logger, "socket_mode.reconnect_failed", logging.WARNING, error=redact(str(err))
            )
        finally:
            client.connect_operation_lock.release()

    def run(self) -> None:
        while True:
            time.sleep(WATCH_EVERY)
            self.check()

    def start(self) -> SocketWatchdog:
        threading.Thread(target=self.run, name="aor-socket-watchdog", daemon=True).start()
        return self


def make_health_wsgi(db: Database, connected: Callable[[], bool]) -> WsgiApp:
    """GET /healthz and GET /metrics for Socket Mode; nothing else is served over HTTP."""

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz":
            return health(start_response, database=db.ping(), socket=connected())
        if environ.get("PATH_INFO") == "/metrics":
            return metrics_page(start_response, db, None)
        start_response("404 Not Found", [("Content-Type", "text/plain; charset=utf-8")])
        return [b"not found\n"]

    return wsgi


class CheckedSocketModeHandler(SocketModeHandler):
    """Bolt's Socket Mode handler, with the HTTP front door's last check: an envelope whose
    payload Bolt could not read without raising (`envelope_problem`) is acknowledged, so Slack
    does not send it again, and goes no further, with one warning line."""

    def handle(self, client: SocketModeClient, req: SocketModeRequest) -> None:  # type: ignore[override]  # Bolt's base declares the generic client
        payload = req.payload
        problem = envelope_problem(payload) if isinstance(payload, dict) else "not an object"
        if problem is None:
            started = time.monotonic()  # Bolt answers on the socket once the listener acks
            super().handle(client, req)
            observe_request(payload_kind(payload), time.monotonic() - started)
            return
        log_event(logger, "socket_mode.refused", logging.WARNING, kind=req.type, reason=problem)
        client.send_socket_mode_response(SocketModeResponse(envelope_id=req.envelope_id))


def serve_socket_mode(app: App, db: Database, *, app_token: str, host: str, port: int) -> None:
    """Connect, then serve /healthz on host:port until the process is stopped."""
    handler = CheckedSocketModeHandler(app, app_token, ping_interval=PING_INTERVAL)
    watchdog = SocketWatchdog(handler.client)
    with make_http_server(make_health_wsgi(db, watchdog.connected), host=host, port=port) as http:
        _connect(handler.client)
        watchdog.start()
        log_event(logger, "socket_mode.connected", healthz=f"{host}:{http.server_port}")
        http.serve_forever()


def _connect(client: SocketModeClient) -> None:
    # The client logs its own error line before raising; a failure at start is said once, as
    # the one `aor:` line below, so its logger is quiet for this first connect only.
    level = client.logger.level
    client.logger.setLevel(logging.CRITICAL)
    try:
        client.connect()
    except SlackApiError as err:
        raise ConfigError(
            f"Slack refused SLACK_APP_TOKEN (apps.connections.open: "
            f"{err.response.get('error')}) — generate an app-level token with "
            "connections:write and put it (xapp-…) in SLACK_APP_TOKEN"
        ) from None
    except (SlackClientError, OSError) as err:
        raise ConfigError(
            f"cannot open a Socket Mode connection ({redact(str(err)) or type(err).__name__})"
            " — check the network"
        ) from None
    finally:
        client.logger.setLevel(level)
