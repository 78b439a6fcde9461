"""The Web API client: retries connection errors, 5xx and 429 (Retry-After exactly); and
what a failure that outlasted those retries means."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.delivery.pacing import ExactRateLimitRetryHandler


def make_web_client(*, token: str, base_url: str, timeout: int = 10) -> WebClient:
    client = WebClient(token=token, base_url=base_url, timeout=timeout)
    # WebClient ships with only the connection-error handler; add the rest explicitly.
    client.retry_handlers = [
        ConnectionErrorRetryHandler(max_retry_count=2),
        ExactRateLimitRetryHandler(max_retry_count=2),
        ServerErrorRetryHandler(max_retry_count=2),
    ]
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
