"""Fault injection: 5xx, 429, ok:false and slow answers, with and without slack_sdk retries;
a standing rate window per workspace."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from sandbox import FakeSlack, ManualClock


def test_server_error_is_retried_by_slack_sdk(fake: FakeSlack) -> None:
    retrying = WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[
            builtin_handlers.ServerErrorRetryHandler(
                max_retry_count=2, interval_calculator=FixedValueRetryIntervalCalculator(0.01)
            )
        ],
    )
    fake.fail("chat.postMessage", status=500)
    assert retrying.chat_postMessage(channel="C1", text="hi")["ok"]
    assert [c.status for c in fake.calls_to("chat.postMessage")] == [500, 200]
    assert len(fake.messages("C1")) == 1


def test_server_error_without_retries_surfaces(fake: FakeSlack, client: WebClient) -> None:
    fake.fail("chat.postMessage", status=503, times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as err:
            client.chat_postMessage(channel="C1", text="hi")
        assert err.value.response.status_code == 503
    assert client.chat_postMessage(channel="C1", text="hi")["ok"]


def test_rate_limit_carries_retry_after_and_is_retried(
    fake: FakeSlack, client: WebClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake.rate_limit("users.info", retry_after=7)
    with pytest.raises(SlackApiError) as err:
        client.users_info(user="U1")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "7"
    assert err.value.response["error"] == "ratelimited"

    # slack_sdk sleeps Retry-After plus up to 1 s of jitter; drop the jitter to keep this fast.
    monkeypatch.setattr(builtin_handlers, "random", SimpleNamespace(random=lambda: 0.0))
    retrying = WebClient(
        token="xoxb-test",
        base_url=fake.api_url,
        retry_handlers=[builtin_handlers.RateLimitErrorRetryHandler(max_retry_count=1)],
    )
    fake.add_user("U1")
    fake.rate_limit("users.info", retry_after=0)
    assert retrying.users_info(user="U1")["user"]["id"] == "U1"
    assert [c.status for c in fake.calls_to("users.info")] == [429, 429, 200]


def test_injected_error_is_ok_false(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1")
    fake.error("users.info", error="user_not_visible")
    with pytest.raises(SlackApiError, match="user_not_visible"):
        client.users_info(user="U1")
    assert client.users_info(user="U1")["ok"]
    assert fake.calls_to("users.info")[0].response == {"ok": False, "error": "user_not_visible"}


def test_delay_simulates_a_timeout(fake: FakeSlack) -> None:
    # The ignore: slack_sdk annotates timeout as int, but urllib takes fractions of a second.
    impatient = WebClient(token="xoxb-test", base_url=fake.api_url, timeout=0.1)  # type: ignore[arg-type]
    fake.delay("auth.test", 0.3)
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        impatient.auth_test()
    assert time.monotonic() - started < 0.3
    assert impatient.auth_test()["ok"]


def test_reset_forgets_traffic_but_keeps_users(fake: FakeSlack, client: WebClient) -> None:
    fake.add_user("U1")
    fake.error("users.info", times=3)
    with pytest.raises(SlackApiError):
        client.users_info(user="U1")
    fake.reset()
    assert fake.calls == [] and fake.violations == []
    assert client.users_info(user="U1")["ok"]


def _post(client: WebClient, channel: str) -> int | str:
    """The HTTP status of one chat.postMessage, or its Retry-After when Slack says 429."""
    try:
        return client.chat_postMessage(channel=channel, text="hi").status_code
    except SlackApiError as err:
        assert err.response.status_code == 429 and err.response["error"] == "ratelimited"
        return err.response.headers["Retry-After"]


def test_rate_window_answers_429_beyond_the_limit_until_the_oldest_call_leaves(
    fake: FakeSlack, client: WebClient, clock: ManualClock
) -> None:
    fake.limit_rate("chat.postMessage", calls=3, per=1.0)
    assert [_post(client, "C1") for _ in range(2)] == [200, 200]
    clock.advance(0.6)
    assert [_post(client, "C1") for _ in range(2)] == [200, "1"]  # 0.4 s left: whole seconds
    fake.add_user("U1")
    assert client.users_info(user="U1")["ok"]  # other methods are not limited
    clock.advance(0.4)  # the first two calls leave the window; the third is still in it
    assert [_post(client, "C1") for _ in range(3)] == [200, 200, "1"]
    statuses = [c.status for c in fake.calls_to("chat.postMessage")]
    assert statuses == [200, 200, 200, 429, 200, 200, 429]
    assert len(fake.messages("C1")) == 5  # a refused call posts nothing
    fake.reset()
    assert [_post(client, "C1") for _ in range(4)] == [200] * 4  # reset lifts the limit


def test_rate_window_counts_each_workspace_apart(
    fake: FakeSlack, client: WebClient, clock: ManualClock
) -> None:
    fake.limit_rate("chat.postMessage", calls=2, workspace_of=lambda args: args["channel"][:2])
    assert [_post(client, "CA1") for _ in range(3)] == [200, 200, "1"]
    assert [_post(client, "CB1") for _ in range(3)] == [200, 200, "1"]
    clock.advance(1.0)
    assert [_post(client, "CA2"), _post(client, "CB2")] == [200, 200]
