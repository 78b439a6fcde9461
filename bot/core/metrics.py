"""What the app is doing, for Prometheus (`GET /metrics`).

Counters and histograms are prometheus-client's, multiprocess-safe when
PROMETHEUS_MULTIPROC_DIR is set (gunicorn workers each write their own files there; the
directory must exist and be emptied before the workers start, README "Operations"). What the
database knows (outbox depth and age per workspace) is read at scrape time."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qs

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import REGISTRY, Collector
from sqlalchemy import Engine, event

ACK_LIMIT = 3.0  # seconds Slack waits for an acknowledgement

REQUEST_SECONDS = Histogram(
    "aor_request_seconds",
    "Time from a Slack request's arrival to its acknowledgement, by listener kind",
    ["kind"],
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0),
)
SLOW_ACKS = Counter("aor_slow_acks_total", "Acknowledgements later than 3 s, by kind", ["kind"])
PLANS = Counter("aor_plans_total", "Morning plans by outcome (claimed, sent, failed)", ["outcome"])
PACKS = Counter("aor_packs_total", "Coaching packs by outcome (claimed, sent, failed)", ["outcome"])
SLACK_ERRORS = Counter(
    "aor_slack_api_errors_total",
    "Slack Web API calls that failed, by method and error",
    ["method", "error"],
)
RATE_LIMITED = Counter(
    "aor_slack_429_total", "Slack answers 429 (rate limited), by method", ["method"]
)
RATE_LIMIT_WAIT = Counter(
    "aor_slack_429_wait_seconds_total", "Seconds spent waiting out Slack's Retry-After"
)
DB_POOL_IN_USE = Gauge(
    "aor_db_pool_in_use",
    "Database connections checked out of the pool",
    multiprocess_mode="livesum",
)

for _outcome in ("claimed", "sent", "failed"):  # every series present from the start
    PLANS.labels(_outcome)
    PACKS.labels(_outcome)

OutboxRead = Callable[[], list[tuple[str, int, float]]]


def request_kind(body: bytes) -> str:
    """command, block_actions, view_submission, event_callback...: what kind of listener a
    Slack request is for (read from an admitted body)."""
    text = body.decode("utf-8", "replace")
    if text.startswith("{"):
        value = json.loads(text)
        return str(value.get("type") or "other")[:40] if isinstance(value, dict) else "other"
    form = parse_qs(text)
    if "command" in form:
        return "command"
    if "payload" in form:
        payload = json.loads(form["payload"][0])
        return str(payload.get("type") or "other")[:40] if isinstance(payload, dict) else "other"
    return "other"


def payload_kind(payload: dict[str, Any]) -> str:
    """The same kinds, from a payload read off the Socket Mode connection."""
    return "command" if "command" in payload else str(payload.get("type") or "other")[:40]


def observe_request(kind: str, seconds: float) -> None:
    REQUEST_SECONDS.labels(kind).observe(seconds)
    if seconds > ACK_LIMIT:
        SLOW_ACKS.labels(kind).inc()


def watch_pool(engine: Engine) -> None:
    """Count the connections in use, process by process (summed over live ones)."""
    event.listen(engine.pool, "checkout", lambda *_: DB_POOL_IN_USE.inc())
    event.listen(engine.pool, "checkin", lambda *_: DB_POOL_IN_USE.dec())


class _OutboxCollector(Collector):
    def __init__(self, read: OutboxRead) -> None:
        self._read = read

    def collect(self) -> Any:
        depth = GaugeMetricFamily(
            "aor_outbox_depth", "Messages waiting to be sent, by workspace", labels=["team"]
        )
        oldest = GaugeMetricFamily(
            "aor_outbox_oldest_seconds",
            "Age of the oldest message waiting to be sent, by workspace",
            labels=["team"],
        )
        for team, count, age in self._read():
            depth.add_metric([team], count)
            oldest.add_metric([team], age)
        yield depth
        yield oldest


def exposition(*, multiproc_dir: str | None, outbox: OutboxRead) -> tuple[bytes, str]:
    """The /metrics page: this process's series (or, under gunicorn, every worker's), and
    the outbox as the database has it now."""
    if multiproc_dir:
        registry = CollectorRegistry()
        MultiProcessCollector(registry, path=multiproc_dir)  # type: ignore[no-untyped-call]
    else:
        registry = REGISTRY
    database = CollectorRegistry()
    database.register(_OutboxCollector(outbox))
    return generate_latest(registry) + generate_latest(database), CONTENT_TYPE_LATEST
