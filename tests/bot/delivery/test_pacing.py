"""The send clock per workspace and method: bulk waits for its slot, interactive goes ahead
(and pushes the bulk back), a 429's Retry-After pauses exactly that workspace's method."""

from __future__ import annotations

import pytest

from bot.delivery.pacing import HEADROOM, Pacer, retry_after


class FakeTime:
    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


@pytest.fixture
def clock() -> FakeTime:
    return FakeTime()


def _pacer(clock: FakeTime, rate: float = 20.0) -> Pacer:
    return Pacer(rate=rate, sleep=clock.sleep, now=lambda: clock.now)


def test_bulk_sends_are_spaced_at_the_rate_with_headroom(clock: FakeTime) -> None:
    pacer = _pacer(clock)
    for _ in range(4):
        pacer.take("T1", "chat.postMessage", bulk=True)
    gap = round(1 / (20 * HEADROOM), 6)
    assert clock.slept == [gap, gap, gap]  # the first goes at once
    # 20/s for 1,000 DMs: never more than `rate` calls in any second.
    assert 1 / gap <= 20


def test_workspaces_and_methods_have_clocks_of_their_own(clock: FakeTime) -> None:
    pacer = _pacer(clock)
    pacer.take("T1", "chat.postMessage", bulk=True)
    pacer.take("T2", "chat.postMessage", bulk=True)
    pacer.take("T1", "chat.update", bulk=True)
    assert clock.slept == []
    assert pacer.wait_time("T1", "chat.postMessage") > 0
    assert pacer.wait_time("T3", "chat.postMessage") == 0


def test_an_interactive_send_never_waits_and_the_bulk_yields_to_it(clock: FakeTime) -> None:
    pacer = _pacer(clock)
    pacer.take("T1", "chat.update", bulk=True)
    for _ in range(3):
        pacer.take("T1", "chat.update", bulk=False)
    assert clock.slept == []
    pacer.take("T1", "chat.update", bulk=True)  # behind the three interactive ones
    assert clock.slept == [round(4 / (20 * HEADROOM), 6)]


def test_retry_after_pauses_the_method_exactly(clock: FakeTime) -> None:
    pacer = _pacer(clock)
    pacer.pause("T1", "chat.postMessage", 3.0)
    pacer.take("T1", "chat.postMessage", bulk=True)
    assert clock.slept == [3.0]
    pacer.take("T2", "chat.postMessage", bulk=True)
    assert clock.slept == [3.0]  # another workspace is not held up


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"Retry-After": ["2"]}, 2.0),
        ({"retry-after": "7"}, 7.0),
        ({}, 1.0),
        ({"Retry-After": "x"}, 1.0),
    ],
)
def test_retry_after_is_read_as_slack_sends_it(headers: dict, seconds: float) -> None:
    assert retry_after(headers) == seconds
