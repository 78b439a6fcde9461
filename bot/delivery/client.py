"""The Web API client: retries connection errors, 5xx and 429 (Retry-After exactly); and
what a failure that outlasted those retries means."""

from __future__ import annotations

import time
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.web import SlackResponse

from bot.core.metrics import RATE_LIMIT_WAIT, RATE_LIMITED, SLACK_ERRORS
from bot.delivery.pacing import ExactRateLimitRetryHandler


class MeteredWebClient(WebClient):
    """slack_sdk's client, counting the calls Slack answered with an error (by method and
    error) and the 429s that outlasted the retries (aor_slack_*)."""

    def api_call(self, api_method: str, **kwargs: Any) -> SlackResponse:
        try:
            return super().api_call(api_method, **kwargs)
        except SlackApiError as err:
            SLACK_ERRORS.labels(api_method, str(err.response.get("error"))[:60]).inc()
            if err.response.status_code == 429:
                RATE_LIMITED.labels(api_method).inc()
            raise


class MeteredRateLimitHandler(ExactRateLimitRetryHandler):
    """Waits out Retry-After as delivery's pacing does, counting each 429 and the time
    waited."""

    def prepare_for_next_attempt(self, **kwargs: Any) -> None:
        request = kwargs.get("request")
        url = str(getattr(request, "url", ""))
        RATE_LIMITED.labels(url.rsplit("/", 1)[-1] or "unknown").inc()
        started = time.monotonic()
        try:
            super().prepare_for_next_attempt(**kwargs)
        finally:
            RATE_LIMIT_WAIT.inc(time.monotonic() - started)


def make_web_client(
    *, token: str | None, base_url: str, timeout: int = 10, retries: bool = True
) -> WebClient:
    client = MeteredWebClient(token=token or None, base_url=base_url, timeout=timeout)
    # WebClient ships with only the connection-error handler; add the rest explicitly.
    client.retry_handlers = (
        [
            ConnectionErrorRetryHandler(max_retry_count=2),
            MeteredRateLimitHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=2),
        ]
        if retries
        else []
    )
    return client


# `ok: false` answers that say Slack itself is having a bad minute, not that the call was wrong.
UNWELL_ERRORS = frozenset(
    {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)


def slack_unavailable(error: Exception) -> bool:
    """Whether `error` means Slack did not answer (a 5xx, a 429 past the client's retries, an
    unwell `ok: false`, a timeout or a dropped connection) rather than that it refused."""
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        return status >= 500 or status == 429 or error.response.get("error") in UNWELL_ERRORS
    return isinstance(error, SlackClientError | OSError)
