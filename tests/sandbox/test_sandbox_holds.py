"""Holding calls: a held call is unanswered and unrecorded until it is released (answered as
usual) or dropped (its connection closed, Slack never acting on it); stopping the fake drops
what is held. Other calls, of the same fake, are served meanwhile."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.web import SlackResponse

from sandbox import FakeSlack

POST = "chat.postMessage"


@pytest.fixture
def background() -> Iterator[ThreadPoolExecutor]:
    with ThreadPoolExecutor(max_workers=2) as pool:
        yield pool


def _no_retries(fake: FakeSlack) -> WebClient:
    """A client that reports a lost connection instead of trying again."""
    return WebClient(token="xoxb-test", base_url=fake.api_url, timeout=30, retry_handlers=[])


def _post(pool: ThreadPoolExecutor, client: WebClient) -> Future[SlackResponse]:
    return pool.submit(client.chat_postMessage, channel="C1", text="held")


def test_a_released_call_is_answered_and_recorded_then(
    fake: FakeSlack, client: WebClient, background: ThreadPoolExecutor
) -> None:
    hold = fake.hold(POST)
    pending = _post(background, client)
    held = hold.wait_for_held(timeout=5)
    assert (held.method, held.args["text"]) == (POST, "held")
    # Held: Slack has not acted on it, and other calls are answered meanwhile.
    assert client.auth_test()["ok"]
    assert not pending.done()
    assert fake.calls_to(POST) == [] and fake.messages("C1") == []

    hold.release()
    assert pending.result(timeout=5)["ok"]
    assert [c.args["text"] for c in fake.calls_to(POST)] == ["held"]
    assert [m["text"] for m in fake.messages("C1")] == ["held"]
    assert client.chat_postMessage(channel="C1", text="after")["ok"]  # no longer held


def test_a_dropped_call_loses_its_connection_and_never_happened(
    fake: FakeSlack, background: ThreadPoolExecutor
) -> None:
    hold = fake.hold(POST)
    pending = _post(background, _no_retries(fake))
    hold.wait_for_held(timeout=5)
    hold.drop()
    with pytest.raises(OSError):  # the connection closed without an answer
        pending.result(timeout=5)
    assert fake.calls_to(POST) == [] and fake.messages("C1") == []
    assert [c.args["text"] for c in hold.held] == ["held"]


def test_stopping_the_fake_drops_what_it_holds(background: ThreadPoolExecutor) -> None:
    with FakeSlack() as fake:
        hold = fake.hold(POST)
        pending = _post(background, _no_retries(fake))
        hold.wait_for_held(timeout=5)
    with pytest.raises(OSError):
        pending.result(timeout=5)  # at once, not after the client's timeout
    assert fake.calls_to(POST) == []


def test_waiting_for_a_call_that_never_comes_times_out(fake: FakeSlack) -> None:
    hold = fake.hold(POST)
    with pytest.raises(TimeoutError):
        hold.wait_for_held(timeout=0.05)
    with pytest.raises(ValueError):
        fake.hold(POST)  # one hold per method at a time
    hold.release()
    fake.hold(POST).release()  # once it ended, the method can be held again
