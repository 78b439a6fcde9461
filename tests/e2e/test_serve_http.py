"""`aor serve --http` as a real process: Slack's signed requests over real HTTP."""

from __future__ import annotations

import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import FakeSlack, SlackSide
from tests.utils.process import aor_executable, clean_env, free_port, wait_healthy

SECRET = "serve-test-secret"


@pytest.fixture
def served(fake: FakeSlack, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-serve-test",
        SLACK_SIGNING_SECRET=SECRET,
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'serve.db'}",
    )
    process = subprocess.Popen(
        [aor_executable(), "serve", "--http", "--port", str(port), "--no-scheduler"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(f"{base}/healthz", process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)
    fake.assert_no_violations()


def test_healthz_answers_200(served: str) -> None:
    with urllib.request.urlopen(f"{served}/healthz", timeout=5) as response:
        assert response.status == 200


def test_forged_or_replayed_requests_are_refused_before_any_slack_call(
    served: str, fake: FakeSlack
) -> None:
    slack = SlackSide(f"{served}/slack/events", SECRET, fake)
    forged = slack.command("help", user_id="UREP", signature="v0=" + "0" * 64)
    assert forged.status == 401
    six_minutes_ago = int(time.time()) - 6 * 60
    replayed = slack.command("help", user_id="UREP", timestamp=six_minutes_ago)
    assert replayed.status == 401
    wrong_secret = SlackSide(f"{served}/slack/events", "not-the-secret", fake)
    assert wrong_secret.command("help", user_id="UREP").status == 401
    assert [c.method for c in fake.calls] == ["auth.test"]  # at start: which workspace is ours
    assert fake.responses == []


def test_signed_help_answers_with_the_usage_within_3_seconds(served: str, fake: FakeSlack) -> None:
    slack = SlackSide(f"{served}/slack/events", SECRET, fake)
    started = time.monotonic()
    result = slack.command("help", user_id="UREP")
    elapsed = time.monotonic() - started
    assert result.status == 200
    assert elapsed < 3
    assert result.json["response_type"] == "ephemeral"
    usage = result.json["text"]
    for sub in (
        "add-task",
        "add",
        "doc",
        "plan",
        "set-manager",
        "settings",
        "ooo",
        "pending",
        "report",
        "export",
    ):
        assert f"`/aor {sub}" in usage
    empty = slack.command("", user_id="UREP")
    assert empty.status == 200 and empty.json["text"] == usage
