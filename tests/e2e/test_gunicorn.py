"""Production shape: `aor db upgrade`, then gunicorn (threaded workers) serving bot.wsgi:app."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import FakeSlack, SlackSide
from tests.utils.process import clean_env, free_port, gunicorn_serving

SECRET = "gunicorn-test-secret"


@pytest.fixture
def gunicorn(fake: FakeSlack, tmp_path: Path) -> Iterator[str]:
    port = free_port()
    threaded = ["--worker-class", "gthread", "--threads", "4", "-w", "2"]
    with gunicorn_serving(
        [*threaded, "-b", f"127.0.0.1:{port}"],
        port=port,
        api_url=fake.api_url,
        secret=SECRET,
        database=tmp_path / "prod.db",
    ) as base:
        yield base
    fake.assert_no_violations()


def test_gunicorn_serves_signed_commands_and_refuses_forged_ones(
    gunicorn: str, fake: FakeSlack
) -> None:
    slack = SlackSide(f"{gunicorn}/slack/events", SECRET, fake)
    assert slack.command("help", user_id="UREP", signature="v0=" + "0" * 64).status == 401
    result = slack.command("help", user_id="UREP")
    assert result.status == 200 and "`/aor add-task" in result.json["text"]


def test_wsgi_without_a_secret_exits_2_naming_it(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-c", "import bot.wsgi"],
        env=clean_env(SLACK_BOT_TOKEN="xoxb-1", DATABASE_URL=f"sqlite:///{tmp_path / 'x.db'}"),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "SLACK_SIGNING_SECRET" in result.stderr and "Traceback" not in result.stderr


def test_gunicorn_has_the_same_front_door(gunicorn: str, fake: FakeSlack) -> None:
    slack = SlackSide(f"{gunicorn}/slack/events", SECRET, fake)
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert slack.post_raw(b"payload=[]", form).status == 401
    assert slack.post_raw(b"payload=[]", form, sign=True).status == 400
    over_1_mib = b"command=%2Faor&text=" + b"x" * (1 << 20)
    # Chunked, so no Content-Length announces the size: the door reads 1 MiB + 1 and stops.
    assert slack.post_raw(over_1_mib, form, sign=True, chunked=True).status == 413
    assert slack.post_raw(over_1_mib, form, sign=True).status == 413
    assert fake.methods_called() <= {"auth.test"}  # only start-up's question, per worker
