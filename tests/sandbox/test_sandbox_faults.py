"""Fault injection: 5xx, 429, ok:false and slow answers, with and without slack_sdk retries."""

from __future__ import annotations

import time
from types import SimpleNamespace

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from sandbox import FakeSlack


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
