"""The HTTP surface: Slack's POST /slack/events behind a front door, and an operator's
GET /healthz.

The front door refuses a request before anything parses it, in this order: a body over 1 MiB
(413); a missing, non-numeric or stale timestamp, or a bad signature (401); a body that is not
UTF-8 or not one of Slack's shapes (400). Each refusal is one warning line, never a traceback.
Only an admitted request reaches Bolt, which checks the signature again (defence in depth)."""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from http import HTTPStatus
from socketserver import ThreadingMixIn
from typing import Any
from urllib.parse import parse_qs, parse_qsl
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.request.internals import build_context, parse_body
from slack_sdk.signature import SignatureVerifier

from bot.core.errors import ConfigError
from bot.core.logs import log_event
from bot.core.metrics import exposition, observe_request, request_kind
from bot.rules.envelope import envelope_problem
from storage.backlog import outbox_backlog
from storage.db import Database
from storage.types import utcnow

logger = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY = 1 << 20  # Slack's payloads are a few KiB; 1 MiB is generous
MAX_AGE = 5 * 60  # seconds a signed request stays valid (Slack's own advice)
WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_LENGTH = re.compile(r"[0-9]{1,18}")
_TIMESTAMP = re.compile(r"[0-9]{1,12}")
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")
_ANSWER = {400: "bad request", 401: "invalid or missing signature", 413: "request too large"}


class Refused(Exception):
    """The front door's answer to a request that goes no further; `reason` is for the log."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RawBodyVerifier(SignatureVerifier):
    """slack_sdk's verifier (timestamp window, constant-time compare), signing the raw bytes as
    Slack does: slack_sdk decodes them as UTF-8 first, which fails on bytes that are not, and
    such a body must still get its 401 (unsigned) or 400 (signed) rather than an exception."""

    def generate_signature(self, *, timestamp: str, body: str | bytes) -> str | None:
        raw = body.encode() if isinstance(body, str) else body
        base = b"v0:" + timestamp.encode() + b":" + raw
        digest = hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()
        return f"v0={digest}"


def admit(environ: dict[str, Any], verifier: SignatureVerifier) -> bytes:
    """The body of a request Slack signed and Bolt can parse; raises Refused otherwise."""
    body = _read_body(environ)
    _check_signature(environ, body, verifier)
    text = _decode(environ, body)
    _check_shape(environ.get("CONTENT_TYPE") or "", text)
    return body


def _read_body(environ: dict[str, Any]) -> bytes:
    declared = (environ.get("CONTENT_LENGTH") or "").strip()
    if declared and not _LENGTH.fullmatch(declared):
        raise Refused(400, "Content-Length is not a number")
    if declared and int(declared) > MAX_BODY:
        raise Refused(413, f"Content-Length {declared} is over {MAX_BODY}")
    if declared:
        wanted = int(declared)
    elif environ.get("wsgi.input_terminated"):  # chunked: the server ends the stream for us
        wanted = MAX_BODY + 1
    else:
        return b""  # no length and no end marker: reading would wait for the client (PEP 3333)
    try:
        body: bytes = environ["wsgi.input"].read(wanted)
    except OSError as err:  # the client went quiet or away mid-body
        raise Refused(400, f"body could not be read: {type(err).__name__}") from None
    if len(body) > MAX_BODY:
        raise Refused(413, f"body is over {MAX_BODY} bytes")
    if declared and len(body) < wanted:
        raise Refused(400, f"body ended after {len(body)} of {wanted} bytes")
    return body


def _check_signature(environ: dict[str, Any], body: bytes, verifier: SignatureVerifier) -> None:
    timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
    signature = environ.get("HTTP_X_SLACK_SIGNATURE")
    if timestamp is None:
        raise Refused(401, "no X-Slack-Request-Timestamp")
    if not _TIMESTAMP.fullmatch(timestamp):
        raise Refused(401, "X-Slack-Request-Timestamp is not a number")
    if abs(time.time() - int(timestamp)) > MAX_AGE:
        raise Refused(401, "X-Slack-Request-Timestamp is more than 5 minutes away")
    if signature is None or not _SIGNATURE.fullmatch(signature):
        raise Refused(401, "no X-Slack-Signature of the form v0=<64 hex digits>")
    if not verifier.is_valid(body=body, timestamp=timestamp, signature=signature):
        raise Refused(401, "X-Slack-Signature does not match the body")


def _decode(environ: dict[str, Any], body: bytes) -> str:
    content_type = environ.get("CONTENT_TYPE") or ""
    for param in content_type.split(";")[1:]:
        name, _, value = param.partition("=")
        charset = value.strip().strip('"').lower()
        if name.strip().lower() == "charset" and charset not in ("utf-8", "utf8"):
            raise Refused(400, f"charset {charset[:40]!r} is not utf-8")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise Refused(400, "body is not valid UTF-8") from None


def _check_shape(content_type: str, text: str) -> None:
    """Slack sends a JSON object (events), a form with a `payload` JSON object (interactions)
    or a form with a `command` (slash commands). The JSON-or-form choice is Bolt's own
    (`slack_bolt.request.internals.parse_body`), so what passes here parses there."""
    if content_type.split(";")[0] == "application/json" or text.startswith("{"):
        _json_object(text, "body")
        return
    form = parse_qs(text, keep_blank_values=True)
    if "payload" in form:
        _json_object(form["payload"][0], "payload")
    elif "command" not in form and "ssl_check" not in form:
        raise Refused(400, "form has neither payload nor command")


def _json_object(text: str, what: str) -> None:
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, f"{what} is not JSON") from None
    if not isinstance(value, dict):
        raise Refused(400, f"{what} is JSON but not an object")


def make_wsgi(
    app: App, db: Database, *, signing_secret: str, multiproc_dir: str | None = None
) -> WsgiApp:
    """The front door, Bolt behind it, /healthz and /metrics (`multiproc_dir`: gunicorn's
    workers' metrics, PROMETHEUS_MULTIPROC_DIR)."""
    slack = _CheckedHandler(app, path=EVENTS_PATH)
    verifier = RawBodyVerifier(signing_secret)

    def wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO")
        if path == "/healthz":
            return health(start_response, database=db.ping())
        if path == "/metrics":
            return metrics_page(start_response, db, multiproc_dir)
        if path == EVENTS_PATH and environ.get("REQUEST_METHOD") == "POST":
            try:
                body = admit(environ, verifier)
            except Refused as refusal:
                log_event(
                    logger,
                    "http.refused",
                    logging.WARNING,
                    status=refusal.status,
                    reason=refusal.reason,
                    content_length=environ.get("CONTENT_LENGTH") or None,
                )
                status = f"{refusal.status} {HTTPStatus(refusal.status).phrase}"
                return _plain(start_response, status, _ANSWER[refusal.status])
            environ["wsgi.input"] = io.BytesIO(body)  # Bolt reads the body again
            environ["CONTENT_LENGTH"] = str(len(body))
            started = time.monotonic()  # Bolt answers once the listener has acknowledged
            answer = slack(environ, start_response)
            observe_request(request_kind(body), time.monotonic() - started)
            return answer
        return slack(environ, start_response)

    return wsgi


def metrics_page(
    start_response: Callable[..., Any], db: Database, multiproc_dir: str | None
) -> Iterable[bytes]:
    """GET /metrics (bot.core.metrics): this process's series, or every gunicorn worker's."""

    def backlog() -> list[tuple[str, int, float]]:
        with db.transaction() as session:
            return outbox_backlog(session=session, now=utcnow())

    body, content_type = exposition(multiproc_dir=multiproc_dir, outbox=backlog)
    headers = [("Content-Type", content_type), ("Content-Length", str(len(body)))]
    start_response("200 OK", [*headers, ("Cache-Control", "no-store")])
    return [body]


def health(
    start_response: Callable[..., Any], *, database: bool, socket: bool | None = None
) -> Iterable[bytes]:
    """200 when the database answers (and, in Socket Mode, the socket is connected)."""
    if not database:
        return _plain(start_response, "503 Service Unavailable", "database unavailable")
    if socket is False:
        return _plain(start_response, "503 Service Unavailable", "socket disconnected")
    return _plain(start_response, "200 OK", "ok")


def _plain(start_response: Callable[..., Any], status: str, text: str) -> Iterable[bytes]:
    body = f"{text}\n".encode()
    start_response(
        status,
        [
            ("Content-Type", "text/plain; charset=utf-8"),
            ("Content-Length", str(len(body))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [body]


class _CheckedHandler(SlackRequestHandler):
    """Bolt's WSGI handler, answering 400 to a body Bolt could not read without raising
    (`envelope_problem`: e.g. a `user` that is a number, an `event` that is a string)."""

    def dispatch(self, request: WsgiHttpRequest) -> BoltResponse:
        body, headers = request.get_body(), request.get_headers()
        content_type = str(headers.get("content-type") or "").split(";")[0] or None
        try:
            problem = envelope_problem(_read_as_slack_sent(body, content_type))
        except (ValueError, RecursionError):
            problem = "body is not JSON"
        if problem is not None:
            log_event(logger, "http.refused", logging.WARNING, status=400, reason=problem)
            return BoltResponse(status=400, body="bad request")
        bolt = BoltRequest(body=body, query=request.query_string, headers=headers)
        if not bolt.body and body:
            # Bolt reads it as empty: see _read_as_slack_sent.
            bolt.body = _read_as_slack_sent(body, content_type)
            bolt.context = build_context(bolt.context, bolt.body)
        return self.app.dispatch(bolt)


def _read_as_slack_sent(body: str, content_type: str | None) -> dict[str, Any]:
    """Bolt's reading of a body, except that a form without a `payload=` field is the form it
    is: Bolt takes any form body containing the text "payload" for an interaction and reads it
    as empty, so a slash command such as `/aor add-task @rob Review the payload schema 1h`
    would reach no listener."""
    parsed = parse_body(body, content_type)
    if parsed or not body or body.startswith("{") or content_type == "application/json":
        return parsed
    fields = dict(parse_qsl(body, keep_blank_values=True))
    return parsed if "payload" in fields else fields


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    timeout = 30  # seconds a client may stay silent mid-request before its socket is closed

    def log_message(self, format: str, *args: Any) -> None:
        logger.debug("http " + format % args)


def make_http_server(wsgi: WsgiApp, *, host: str, port: int) -> WSGIServer:
    """A threaded server for one machine (port 0 picks a free one); production runs
    bot.wsgi:app under gunicorn."""
    try:
        return make_server(
            host, port, wsgi, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
    except OSError as err:
        raise ConfigError(
            f"cannot listen on {host}:{port} ({err.strerror or err}) — "
            "choose another with --host/--port"
        ) from None


def serve_http(wsgi: WsgiApp, *, host: str, port: int) -> None:
    with make_http_server(wsgi, host=host, port=port) as server:
        logger.info("http.listening", extra={"host": host, "port": server.server_port})
        server.serve_forever()
