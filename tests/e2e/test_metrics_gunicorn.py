"""/metrics under gunicorn with two workers (PROMETHEUS_MULTIPROC_DIR): whichever worker
answers the scrape, the counts are every worker's together."""

from __future__ import annotations

import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families

from sandbox import FakeSlack, SlackSide
from tests.utils.process import free_port, gunicorn_serving

SECRET = "gunicorn-metrics-secret"
CONFIG = Path(__file__).resolve().parents[2] / "deploy" / "gunicorn.conf.py"


@pytest.fixture
def gunicorn(fake: FakeSlack, tmp_path: Path) -> Iterator[str]:
    metrics_dir = tmp_path / "metrics"
    metrics_dir.mkdir()
    port = free_port()
    with gunicorn_serving(
        ["-c", str(CONFIG)],
        port=port,
        api_url=fake.api_url,
        secret=SECRET,
        database=tmp_path / "prod.db",
        PROMETHEUS_MULTIPROC_DIR=str(metrics_dir),
        AOR_WEB_BIND=f"127.0.0.1:{port}",
        AOR_WEB_WORKERS="2",
    ) as base:
        yield base
    fake.assert_no_violations()


def _commands_counted(base: str) -> float:
    with urllib.request.urlopen(f"{base}/metrics", timeout=10) as answer:
        text = answer.read().decode()
    return sum(
        sample.value
        for family in text_string_to_metric_families(text)
        for sample in family.samples
        if sample.name == "aor_request_seconds_count" and sample.labels.get("kind") == "command"
    )


def test_every_workers_requests_are_counted(gunicorn: str, fake: FakeSlack) -> None:
    slack = SlackSide(f"{gunicorn}/slack/events", SECRET, fake)
    for _ in range(6):
        assert slack.command("help", user_id="UREP").status == 200
    # Several scrapes, answered by either worker: always all six.
    assert [_commands_counted(gunicorn) for _ in range(4)] == [6.0] * 4
