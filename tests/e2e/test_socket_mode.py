"""`aor serve` in Socket Mode as a real process, connected to the sandbox's Socket Mode endpoint."""

from __future__ import annotations

import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from sandbox import FakeSlack, SocketModeSide
from tests.utils.process import aor_executable, clean_env
from tests.utils.wait import eventually


@pytest.fixture
def socket_app(fake: FakeSlack, tmp_path: Path) -> Iterator[SocketModeSide]:
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-socket-test",
        SLACK_APP_TOKEN="xapp-1-A0SANDBOX-1-socket-test",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'socket.db'}",
    )
    process = subprocess.Popen(
        [aor_executable(), "serve", "--no-scheduler"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def connected() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"aor serve exited with {process.returncode}")
        return bool(fake.calls_to("apps.connections.open")) and fake.socket_mode.connected

    try:
        eventually(connected, timeout=30)
        yield SocketModeSide(fake)
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    fake.assert_no_violations()
    assert b"Traceback" not in stderr, stderr.decode()


def test_help_is_acked_with_the_usage_within_3_seconds(socket_app: SocketModeSide) -> None:
    started = time.monotonic()
    result = socket_app.command("help", user_id="UREP")
    assert time.monotonic() - started < 3
    assert result.payload["response_type"] == "ephemeral"
    assert "`/aor add-task" in result.payload["text"]


def test_opening_app_home_publishes_the_home_view(
    socket_app: SocketModeSide, fake: FakeSlack
) -> None:
    assert socket_app.app_home_opened("UREP").payload == {}
    publish = eventually(lambda: fake.calls_to("views.publish"), timeout=5)
    assert publish[0].args["user_id"] == "UREP"
    assert fake.home("UREP") is not None
