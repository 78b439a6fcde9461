"""`aor serve` in Socket Mode as a real process, connected to the sandbox's Socket Mode endpoint:
commands and events, staying connected through everything Slack does to a socket, and /healthz."""

from __future__ import annotations

import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from sandbox import FakeSlack, SocketModeSide
from tests.utils.process import aor_executable, clean_env, free_port
from tests.utils.wait import eventually

# How long a reconnection may take: the app notices a dead socket within a few seconds (ping
# every 2 s, stale after 5 s without a pong); the rest is slack for a loaded CI machine.
RECONNECT_WITHIN = 20.0


@dataclass
class SocketApp:
    side: SocketModeSide
    fake: FakeSlack
    healthz_url: str

    def healthz(self) -> int:
        try:
            with urllib.request.urlopen(self.healthz_url, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as err:
            return err.code

    def opened(self) -> tuple[int, int]:
        """URLs asked for, connections opened."""
        urls = len(self.fake.calls_to("apps.connections.open"))
        return urls, self.fake.socket_mode.connections_opened

    def wait_reconnected(self, before: tuple[int, int]) -> None:
        """A fresh URL was asked for, a connection opened on it, and the app let go of the old
        one: slack_sdk's client starts reading its new socket only once the old is closed
        (it waits out the old socket's 3 s receive timeout, the one window in which an
        envelope can wait)."""
        socket_mode = self.fake.socket_mode

        def switched() -> bool:
            urls, connections = self.opened()
            return (
                urls > before[0]
                and connections > before[1]
                and socket_mode.connected
                and socket_mode.open_connections == 1
            )

        eventually(switched, timeout=RECONNECT_WITHIN)

    def help_is_answered(self) -> None:
        started = time.monotonic()
        result = self.side.command("help", user_id="UREP")
        assert time.monotonic() - started < 3
        assert "`/aor add-task" in result.payload["text"]


@pytest.fixture
def socket_app(fake: FakeSlack, tmp_path: Path) -> Iterator[SocketApp]:
    port = free_port()
    env = clean_env(
        SLACK_BOT_TOKEN="xoxb-socket-test",
        SLACK_APP_TOKEN="xapp-1-A0SANDBOX-1-socket-test",
        SLACK_API_URL=fake.api_url,
        DATABASE_URL=f"sqlite:///{tmp_path / 'socket.db'}",
    )
    process = subprocess.Popen(
        [aor_executable(), "serve", "--no-scheduler", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )

    def connected() -> bool:
        if process.poll() is not None:
            raise RuntimeError(f"aor serve exited with {process.returncode}")
        return bool(fake.calls_to("apps.connections.open")) and fake.socket_mode.connected

    app = SocketApp(SocketModeSide(fake), fake, f"http://127.0.0.1:{port}/healthz")
    try:
        eventually(connected, timeout=30)
        eventually(lambda: app.healthz() == 200, timeout=10)
        yield app
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=10)
    fake.assert_no_violations()
    assert b"Traceback" not in stderr, stderr.decode()


def test_help_is_acked_with_the_usage_within_3_seconds(socket_app: SocketApp) -> None:
    started = time.monotonic()
    result = socket_app.side.command("help", user_id="UREP")
    assert time.monotonic() - started < 3
    assert result.payload["response_type"] == "ephemeral"
    assert "`/aor add-task" in result.payload["text"]


def test_opening_app_home_publishes_the_home_view(socket_app: SocketApp, fake: FakeSlack) -> None:
    assert socket_app.side.app_home_opened("UREP").payload == {}
    publish = eventually(lambda: fake.calls_to("views.publish"), timeout=5)
    assert publish[0].args["user_id"] == "UREP"
    assert fake.home("UREP") is not None


def test_after_each_way_slack_retires_a_socket_a_fresh_one_answers_help(
    socket_app: SocketApp, fake: FakeSlack
) -> None:
    """One app through all of them in turn, so none leaves it in a state the next trips on."""
    socket_mode = fake.socket_mode
    retirements: list[tuple[str, Callable[[], None]]] = [
        ("disconnect envelope, refresh_requested", socket_mode.send_disconnect),
        ("disconnect envelope, warning", lambda: socket_mode.send_disconnect("warning")),
        ("socket dropped without a close frame", socket_mode.drop),
        ("socket silent: no pongs", socket_mode.silence),
    ]
    socket_app.help_is_answered()
    for what, retire in retirements:
        before = socket_app.opened()
        retire()
        try:
            socket_app.wait_reconnected(before)
        except AssertionError as err:
            raise AssertionError(f"no fresh connection after: {what}") from err
        socket_app.help_is_answered()
    assert socket_app.healthz() == 200


def test_metrics_are_served_beside_healthz(socket_app: SocketApp) -> None:
    socket_app.help_is_answered()
    url = socket_app.healthz_url.replace("/healthz", "/metrics")
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    assert 'aor_request_seconds_count{kind="command"} 1.0' in text
    assert "aor_outbox_depth" in text


def test_healthz_says_whether_the_socket_is_connected(
    socket_app: SocketApp, fake: FakeSlack
) -> None:
    assert socket_app.healthz() == 200
    hold = fake.hold("apps.connections.open")  # Slack hands out no new URL for now
    fake.socket_mode.drop()
    hold.wait_for_held(timeout=RECONNECT_WITHIN)
    assert socket_app.healthz() == 503
    opened = socket_app.opened()
    hold.release()
    socket_app.wait_reconnected(opened)
    eventually(lambda: socket_app.healthz() == 200, timeout=RECONNECT_WITHIN)
    socket_app.help_is_answered()


def test_an_envelope_bolt_could_not_read_is_acknowledged_and_goes_no_further(
    socket_app: SocketApp, fake: FakeSlack
) -> None:
    # A click whose user is a number: Bolt raises building its request from it (see HTTP's
    # front door); over the socket it is acknowledged, and the connection serves on.
    junk = {"type": "block_actions", "user": 7, "team": {"id": "T0001"}, "actions": []}
    envelope_id = fake.socket_mode.send_envelope("interactive", junk)
    assert fake.socket_mode.wait_ack(envelope_id, 5.0) == {}
    socket_app.help_is_answered()
